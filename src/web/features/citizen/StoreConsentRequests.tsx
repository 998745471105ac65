import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  answerStoreConsentRequest,
  type CitizenConsentRequest,
  listStoreConsentRequests,
} from '../../api/citizen.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../components/format.ts';

/** The counter's requests to use the citizen's papers, each approved or declined here (VNeID session). */
export function StoreConsentRequests() {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['citizen-store-consents'],
    queryFn: listStoreConsentRequests,
    refetchInterval: 15_000,
  });
  // Answered requests leave the server's list; they stay on screen with the answer until the page closes.
  const [answered, setAnswered] = useState<CitizenConsentRequest[]>([]);
  const waiting = (query.data?.items ?? []).filter((r) => !answered.some((a) => a.id === r.id));
  const items = [...answered, ...waiting];
  if (query.error) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0) return null;
  return (
    <Stack gap="sm" data-testid="store-consent-requests">
      <Title order={2} size="h3">
        {t('consent.requestsHeading')}
      </Title>
      <Text size="sm">{t('consent.requestHint')}</Text>
      {items.map((r) => (
        <RequestCard
          key={r.id}
          request={r}
          onAnswered={() => setAnswered((list) => (list.some((a) => a.id === r.id) ? list : [...list, r]))}
        />
      ))}
    </Stack>
  );
}

function RequestCard({ request, onAnswered }: { request: CitizenConsentRequest; onAnswered: () => void }) {
  const { t, i18n } = useTranslation();
  const answer = useMutation({
    mutationFn: (a: 'approve' | 'decline') => answerStoreConsentRequest(request.id, a),
    onSuccess: onAnswered,
  });
  const done = answer.data;
  return (
    <Card withBorder component="section">
      <Stack gap="xs">
        <Text fw={600}>{t('consent.request', { unit: request.unitName, code: request.dossierCode })}</Text>
        <Text size="sm" c="dimmed">
          {t('consent.requestUntil', {
            at: formatDateTime(request.requestedAt, i18n.language),
            until: formatDateTime(request.answerBy, i18n.language),
          })}
        </Text>
        {done ? (
          <Alert color={done.status === 'granted' ? 'green' : 'gray'} role="status">
            {done.status === 'granted'
              ? t('consent.approved', { time: formatDateTime(done.expiresAt, i18n.language) })
              : t('consent.declined')}
          </Alert>
        ) : (
          <Group>
            <Button loading={answer.isPending} onClick={() => answer.mutate('approve')}>
              {t('consent.approve')}
            </Button>
            <Button variant="default" loading={answer.isPending} onClick={() => answer.mutate('decline')}>
              {t('consent.decline')}
            </Button>
          </Group>
        )}
        {answer.error ? <ErrorNotice error={answer.error} /> : null}
      </Stack>
    </Card>
  );
}
