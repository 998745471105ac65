import { Alert, Button, Card, Group, Stack, Table, Text, TextInput, Timeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { type PublicDossier, type PublicDossierDetails, trackDossier } from '../../api/tracking.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../components/format.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { TRACKING_CODE, TrackForm } from './TrackForm.tsx';

/** Tracking without signing in, by code or by the QR on the receipt; personal data come masked. */
export default function TrackPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const valid = TRACKING_CODE.test(code);
  // The second fact stays in memory only: never in the address bar or the history.
  const [last4, setLast4] = useState('');
  const query = useQuery({
    queryKey: ['track', code, last4],
    queryFn: () => trackDossier(code, last4 || undefined),
    enabled: valid,
    retry: (count, error) => error instanceof ApiError && error.isNetwork && count < 2,
  });
  return (
    <Stack gap="lg">
      <Title order={1}>{t('track.heading')}</Title>
      <Card withBorder padding="lg" maw={560}>
        <TrackForm key={code} initial={code} />
      </Card>
      {code && !valid ? <Alert color="red">{t('track.codeInvalid')}</Alert> : null}
      {query.isLoading ? <PageLoader /> : null}
      {query.error instanceof ApiError && query.error.status === 404 ? (
        <Alert color="red" role="alert">
          {t('track.notFound')}
        </Alert>
      ) : query.error instanceof ApiError && query.error.status === 403 ? (
        <Alert color="red" role="alert">
          {t('track.last4Wrong')}
        </Alert>
      ) : query.error instanceof ApiError && query.error.status === 429 ? (
        <Alert color="red" role="alert">
          {t('track.tooMany')}
        </Alert>
      ) : query.error ? (
        <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
      ) : null}
      {query.data?.detailed ? <TrackedDossier dossier={query.data} /> : null}
      {query.data && !query.data.detailed ? <StatusOnly dossier={query.data} onFact={setLast4} /> : null}
      {valid && last4 && query.error instanceof ApiError && query.error.status === 403 ? (
        <Last4Form onFact={setLast4} />
      ) : null}
    </Stack>
  );
}

/** The field for the last 4 digits of the applicant's ID, which unlock the details. */
function Last4Form({ onFact }: { onFact: (last4: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (/^\d{4}$/.test(value)) onFact(value);
  };
  return (
    <form onSubmit={submit}>
      <Group align="end" gap="sm">
        <TextInput
          label={t('track.last4')}
          description={t('track.last4Hint')}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value.replace(/\D/g, '').slice(0, 4))}
          inputMode="numeric"
          autoComplete="off"
          maxLength={4}
          data-testid="tracking-last4"
        />
        <Button type="submit" disabled={!/^\d{4}$/.test(value)}>
          {t('track.last4Submit')}
        </Button>
      </Group>
    </form>
  );
}

/** The code and its status badge, the same with or without the details. */
function DossierHeading({ code, statusCode }: { code: string; statusCode: number }) {
  return (
    <Group gap="sm" align="center">
      <Title order={2} size="h3" className="wrap-anywhere">
        {code}
      </Title>
      <StatusBadge statusCode={statusCode} testId="tracking-status" />
    </Group>
  );
}

/** A code alone: the status and the procedure, and the field for the details. */
function StatusOnly({ dossier: d, onFact }: { dossier: PublicDossier; onFact: (last4: string) => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" aria-live="polite">
      <DossierHeading code={d.code} statusCode={d.statusCode} />
      <Text>
        {t('track.procedure')}: {d.procedure.name}
      </Text>
      <Last4Form onFact={onFact} />
    </Stack>
  );
}

function TrackedDossier({ dossier: d }: { dossier: PublicDossierDetails }) {
  const { t, i18n } = useTranslation();
  const rows: [string, string][] = [
    [t('track.procedure'), d.procedure.name],
    [t('track.applicant'), d.applicantName],
    [t('track.citizenId'), d.citizenId],
    [t('track.submittedAt'), formatDateTime(d.submittedAt, i18n.language)],
  ];
  if (d.receivedAt) rows.push([t('track.receivedAt'), formatDateTime(d.receivedAt, i18n.language)]);
  if (d.dueAt) rows.push([t('track.dueAt'), formatDateTime(d.dueAt, i18n.language)]);
  if (d.resultReadyAt) rows.push([t('track.resultReadyAt'), formatDateTime(d.resultReadyAt, i18n.language)]);
  if (d.returnedAt) rows.push([t('track.returnedAt'), formatDateTime(d.returnedAt, i18n.language)]);
  return (
    <Stack gap="md" aria-live="polite">
      <DossierHeading code={d.code} statusCode={d.statusCode} />
      {d.overdue ? (
        <Alert color="red" role="status">
          {t('track.overdue')}
        </Alert>
      ) : null}
      <Table variant="vertical" layout="fixed" withTableBorder>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w="40%">{label}</Table.Th>
              <Table.Td className="wrap-anywhere">{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" c="dimmed">
        {t('track.masked')}
      </Text>
      <Title order={3} size="h4">
        {t('track.timeline')}
      </Title>
      <Timeline bulletSize={14} lineWidth={2} active={d.timeline.length - 1}>
        {d.timeline.map((e) => (
          <Timeline.Item
            key={`${e.at}-${e.kind}`}
            title={i18n.exists(`actions.${e.kind}`) ? t(`actions.${e.kind as 'intake'}`) : e.action}
          >
            <Text size="sm" c="dimmed">
              {formatDateTime(e.at, i18n.language)}
            </Text>
            {e.verdict ? <Text size="sm">{t(`verdict.${e.verdict}`)}</Text> : null}
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}
