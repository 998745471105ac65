import { Alert, Button, Card, Group, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RatingInput, SATISFACTION, type Satisfaction } from '../../../core/identity/citizen.ts';
import { type CitizenDossier, rateDossier } from '../../api/citizen.ts';
import { ApiError } from '../../api/client.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { fieldErrors } from '../../components/zod-errors.ts';

/** Three big choices and a comment, once per dossier; afterwards, the rating given. */
export function RatingCard({
  dossier,
  onRated,
}: {
  dossier: CitizenDossier;
  onRated: (view: CitizenDossier) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [rating, setRating] = useState<Satisfaction | ''>('');
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  const input = { rating: rating || undefined, comment: comment.trim() || undefined };
  const errors = fieldErrors(RatingInput, input);
  const send = useMutation({
    mutationFn: (body: RatingInput) => rateDossier(dossier.id, body),
    onSuccess: onRated,
    // Rated already (another device): show that rating instead of the form.
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'ALREADY_RATED') {
        void queryClient.invalidateQueries({ queryKey: ['citizen-dossier', dossier.id] });
      }
    },
  });
  const already = send.error instanceof ApiError && send.error.code === 'ALREADY_RATED';

  if (dossier.rating) {
    return (
      <Card withBorder padding="md">
        <Stack gap="xs">
          <Title order={2} size="h3">
            {t('citizen.rating.heading')}
          </Title>
          <Text fw={600}>
            {t('citizen.rating.yours', { rating: t(`citizen.rating.${dossier.rating.rating}`) })}
          </Text>
          {dossier.rating.comment ? <Text className="wrap-anywhere">“{dossier.rating.comment}”</Text> : null}
          <Text size="sm">{t('citizen.rating.thanks')}</Text>
        </Stack>
      </Card>
    );
  }
  if (!dossier.canRate) return null;
  return (
    <Card withBorder padding="md">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (Object.keys(errors).length === 0) send.mutate(input as RatingInput);
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h3">
            {t('citizen.rating.heading')}
          </Title>
          <Radio.Group
            label={t('citizen.rating.question')}
            size="md"
            value={rating}
            onChange={(v) => setRating(v as Satisfaction)}
            error={tried ? errors.rating : undefined}
          >
            <Stack gap="xs" mt="xs">
              {SATISFACTION.map((s) => (
                <Radio.Card key={s} value={s} p="md" radius="md">
                  <Group wrap="nowrap" gap="md">
                    <Radio.Indicator size="md" />
                    <Text fw={600} size="lg">
                      {t(`citizen.rating.${s}`)}
                    </Text>
                  </Group>
                </Radio.Card>
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            size="md"
            label={t('citizen.rating.comment')}
            autosize
            minRows={2}
            maxLength={1000}
            value={comment}
            error={errors.comment}
            onChange={(e) => setComment(e.currentTarget.value)}
          />
          {already ? <Alert color="gray">{send.error?.message}</Alert> : null}
          {send.error && !already ? (
            <ErrorNotice error={send.error} onRetry={() => send.variables && send.mutate(send.variables)} />
          ) : null}
          <Button type="submit" size="lg" loading={send.isPending}>
            {t('citizen.rating.send')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
