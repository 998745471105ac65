import { Alert, Button, Card, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CitizenDossier, handInSupplement, type SupplementRequest } from '../../api/citizen.ts';
import { newIdempotencyKey } from '../../api/client.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { SupplementPaper } from './SupplementPaper.tsx';
import { readSession, removeSession, writeSession } from './session-store.ts';

/** What this tab keeps of a supplement being answered: the papers sent and the key of the hand-in. */
type Kept = { requestedAt: string; key: string; uploaded: Record<string, string>; note: string };

function keptFor(id: number, s: SupplementRequest): Kept {
  const saved = readSession<Kept>(`motcua.supplement.${id}`);
  if (saved && saved.requestedAt === s.requestedAt) return saved;
  return { requestedAt: s.requestedAt, key: newIdempotencyKey(), uploaded: {}, note: '' };
}

/** The officer's request for more papers: why, which papers, one upload each, then "Gửi bổ sung". */
export function SupplementCard({
  dossier,
  supplement,
  onSent,
}: {
  dossier: CitizenDossier;
  supplement: SupplementRequest;
  onSent: (view: CitizenDossier) => void;
}) {
  const { t, i18n } = useTranslation();
  const storeKey = `motcua.supplement.${dossier.id}`;
  const [kept, setKept] = useState(() => keptFor(dossier.id, supplement));
  useEffect(() => writeSession(storeKey, kept), [storeKey, kept]);
  const asked = dossier.components.filter((c) => supplement.missingComponents.includes(c.key));
  const papers = asked.length > 0 ? asked : dossier.components;
  const send = useMutation({
    // The same key on every retry: a hand-in whose answer was lost is not handed in twice.
    mutationFn: () => handInSupplement(dossier.id, kept.note.trim() || undefined, kept.key),
    onSuccess: (view) => {
      removeSession(storeKey);
      onSent(view);
    },
  });
  return (
    <Card withBorder padding="md" style={{ borderColor: 'var(--mantine-color-orange-6)', borderWidth: 2 }}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t('citizen.supplement.heading')}
        </Title>
        <Text>
          {t('citizen.supplement.lead', { at: formatDateTime(supplement.requestedAt, i18n.language) })}
        </Text>
        <List spacing={4}>
          {supplement.reasons.map((r) => (
            <List.Item key={r}>{r}</List.Item>
          ))}
        </List>
        {supplement.applicantDeadline ? (
          <Alert color="orange" p="xs">
            {t('citizen.supplement.deadline', {
              date: formatDate(supplement.applicantDeadline, i18n.language),
            })}
          </Alert>
        ) : null}
        <Title order={3} size="h4">
          {asked.length > 0 ? t('citizen.supplement.papers') : t('citizen.supplement.allPapers')}
        </Title>
        <Text size="sm">{t('citizen.supplement.hint')}</Text>
        {papers.map((c) => (
          <SupplementPaper
            key={c.key}
            dossierId={dossier.id}
            component={c}
            uploaded={kept.uploaded[c.key]}
            onUploaded={(name) => setKept((k) => ({ ...k, uploaded: { ...k.uploaded, [c.key]: name } }))}
          />
        ))}
        <Textarea
          size="md"
          label={t('citizen.supplement.note')}
          autosize
          minRows={2}
          maxLength={1000}
          value={kept.note}
          onChange={(e) => {
            const note = e.currentTarget.value;
            setKept((k) => ({ ...k, note }));
          }}
        />
        {send.error ? <ErrorNotice error={send.error} onRetry={() => send.mutate()} /> : null}
        <Button size="lg" onClick={() => send.mutate()} loading={send.isPending}>
          {t('citizen.supplement.send')}
        </Button>
      </Stack>
    </Card>
  );
}
