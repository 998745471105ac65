import { Alert, Anchor, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { type CitizenDossier, getMyDossier, resultUrl } from '../../api/citizen.ts';
import { ApiError } from '../../api/client.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { DeadlineBadge } from '../../components/DeadlineBadge.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../components/format.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { DossierTimeline } from './DossierTimeline.tsx';
import { RatingCard } from './RatingCard.tsx';
import { RequireCitizen } from './RequireCitizen.tsx';
import { SupplementCard } from './SupplementCard.tsx';

/** One of the citizen's dossiers: where it is, what it needs from them, its result and their rating. */
export default function MyDossierPage() {
  return <RequireCitizen>{() => <MyDossierView />}</RequireCitizen>;
}

function MyDossierView() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ['citizen-dossier', id],
    queryFn: () => getMyDossier(id),
    enabled: Number.isInteger(id) && id > 0,
  });
  const updated = (view: CitizenDossier, message: string | null) => {
    queryClient.setQueryData(['citizen-dossier', id], view);
    void queryClient.invalidateQueries({ queryKey: ['citizen-dossiers'] });
    setNotice(message);
  };
  const back = (
    <Anchor component={Link} to="/my" size="sm">
      ← {t('citizen.myDossiers')}
    </Anchor>
  );
  const missing =
    !Number.isInteger(id) || id <= 0 || (query.error instanceof ApiError && query.error.status === 404);
  if (missing) {
    return (
      <Stack>
        {back}
        <Alert color="red" role="alert">
          {t('citizen.dossier.notFound')}
        </Alert>
      </Stack>
    );
  }
  if (query.error) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <PageLoader />;
  const d = query.data;
  return (
    <Stack gap="lg" maw={760}>
      {back}
      <Stack gap={8}>
        <Title order={1} size="h2" className="wrap-anywhere">
          {d.procedure.name}
        </Title>
        <Text>
          {t('citizen.dossier.code')}: <strong className="wrap-anywhere">{d.code}</strong>
        </Text>
        <Group gap="xs">
          <StatusBadge statusCode={d.statusCode} testId="citizen-dossier-status" />
          <DeadlineBadge dueAt={d.dueAt} overdue={d.overdue} statusCode={d.statusCode} />
        </Group>
      </Stack>
      {notice ? (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      ) : null}
      {d.overdue ? <Alert color="red">{t('track.overdue')}</Alert> : null}
      {d.supplement ? (
        <SupplementCard
          dossier={d}
          supplement={d.supplement}
          onSent={(view) => updated(view, t('citizen.supplement.sent'))}
        />
      ) : null}
      {d.hasResult ? (
        <Card withBorder padding="md">
          <Stack gap="sm">
            <Title order={2} size="h3">
              {t('citizen.dossier.resultHeading')}
            </Title>
            <Text>{t('citizen.dossier.resultLead')}</Text>
            <Button component="a" href={resultUrl(d.id)} download size="lg" data-testid="citizen-result">
              {t('citizen.dossier.download')}
            </Button>
          </Stack>
        </Card>
      ) : null}
      <RatingCard dossier={d} onRated={(view) => updated(view, null)} />
      <DossierFacts dossier={d} />
      <Stack gap="xs">
        <Title order={2} size="h3">
          {t('citizen.dossier.timeline')}
        </Title>
        <DossierTimeline events={d.timeline} />
      </Stack>
    </Stack>
  );
}

function DossierFacts({ dossier: d }: { dossier: CitizenDossier }) {
  const { t, i18n } = useTranslation();
  const when = (iso: string | null) => formatDateTime(iso, i18n.language);
  const rows: [string, string][] = [
    [t('dossier.channel'), t(`channel.${d.channel}`)],
    [t('track.submittedAt'), when(d.submittedAt)],
  ];
  if (d.receivedAt) rows.push([t('track.receivedAt'), when(d.receivedAt)]);
  if (d.dueAt) rows.push([t('track.dueAt'), when(d.dueAt)]);
  if (d.resultReadyAt) rows.push([t('track.resultReadyAt'), when(d.resultReadyAt)]);
  if (d.returnedAt) rows.push([t('track.returnedAt'), when(d.returnedAt)]);
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t('citizen.dossier.facts')}
      </Title>
      <Table variant="vertical" layout="fixed" withTableBorder>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w="45%">{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Anchor component={Link} to={`/track/${encodeURIComponent(d.code)}`} size="sm">
        {t('citizen.dossier.trackLink')}
      </Anchor>
    </Stack>
  );
}
