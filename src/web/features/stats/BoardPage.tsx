import { Alert, Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { getPublicRanking, getPublicStats, type PublicStats } from '../../api/stats.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { BoardUnitPicker } from './BoardUnitPicker.tsx';
import { KpiCards } from './KpiCards.tsx';
import { periodFrom } from './period.ts';
import { RankingTable } from './RankingTable.tsx';
import { Score766Table } from './Score766Table.tsx';
import { StatsFilters } from './StatsFilters.tsx';
import { boardLink } from './stats-links.ts';

const UNIT = /^(VN|\d{2}|\d{5})$/;

function OverdueList({ overdue }: { overdue: NonNullable<PublicStats['overdue']> }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="overdue-heading">
      <Title order={2} size="h3" id="overdue-heading">
        {t('board.overdueHeading')} ({overdue.total})
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('board.masked')}
      </Text>
      {overdue.items.length === 0 ? (
        <Alert color="green" variant="light">
          {t('board.overdueNone')}
        </Alert>
      ) : (
        <Table.ScrollContainer minWidth={640} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('stats.dossiers.applicant')}</Table.Th>
                <Table.Th scope="col">{t('stats.dossiers.procedure')}</Table.Th>
                <Table.Th scope="col">{t('stats.dossiers.dueAt')}</Table.Th>
                <Table.Th scope="col">{t('stats.dossiers.daysOverdue')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {overdue.items.map((d, i) => (
                // No code on the public board, so the row's place is its key.
                // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced whole, never reordered
                <Table.Tr key={i}>
                  <Table.Th scope="row" fw={600}>
                    {d.applicant}
                  </Table.Th>
                  <Table.Td maw={320}>
                    <Text size="sm" lineClamp={2}>
                      {d.procedureName}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDateTime(d.dueAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Badge color="red" variant="filled" tt="none">
                      {t('stats.dossiers.days', { count: d.daysOverdue })}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {overdue.total > overdue.items.length ? (
        <Text size="sm" mt="xs">
          {t('board.overdueMore', { shown: overdue.items.length, total: overdue.total })}
        </Text>
      ) : null}
    </section>
  );
}

/**
 * The public board at /board and /board/:unit, no sign-in: a unit's on-time, online and satisfaction
 * shares, its 766 score with the groups, the overdue dossiers with initials only, and the units below.
 */
export default function BoardPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const asked = useParams().unit ?? 'VN';
  const code = UNIT.test(asked) ? asked : 'VN';
  const stats = { unit: code, ...periodFrom(params) };
  const figures = useQuery({
    queryKey: ['board', stats],
    queryFn: ({ signal }) => getPublicStats(stats, signal),
    placeholderData: keepPreviousData,
  });
  const ranking = useQuery({
    queryKey: ['board', stats, 'ranking'],
    queryFn: ({ signal }) => getPublicRanking(stats, signal),
    enabled: code.length !== 5,
    placeholderData: keepPreviousData,
  });
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) next.set(k, v);
    setParams(next, { replace: true });
  };
  const data = figures.data;
  const name = data ? (data.unit.level === 'nation' ? t('stats.nation') : data.unit.name) : code;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          {t('board.heading')}
        </Title>
        <Text>{t('board.lead')}</Text>
      </div>
      <Group align="flex-start" wrap="wrap" gap="lg">
        <BoardUnitPicker
          // Again when the unit's answer arrives: the commune code box shows the commune on the board.
          key={`${code}:${data?.unit.code ?? ''}`}
          unit={data?.unit ?? null}
          onPick={(unit) => void navigate(boardLink(params, unit))}
        />
        <StatsFilters key={`${stats.from}:${stats.to}`} stats={stats} set={set} withFilters={false} />
      </Group>
      {figures.error ? <ErrorNotice error={figures.error} onRetry={() => void figures.refetch()} /> : null}
      {!data && figures.isPending ? <PageLoader /> : null}
      {data ? (
        <>
          <div>
            <Title order={2} size="h2">
              {name}
            </Title>
            <Text size="sm" c="dimmed">
              {t('stats.periodLine', {
                from: formatDate(data.period.from, i18n.language),
                to: formatDate(data.period.to, i18n.language),
                asOf: formatDate(data.period.asOf, i18n.language),
              })}
            </Text>
          </div>
          <KpiCards figures={data} compact />
          <Score766Table score={data.score766} />
          {data.overdue ? <OverdueList overdue={data.overdue} /> : null}
          {ranking.data && data.unit.level !== 'commune' ? (
            <RankingTable
              items={ranking.data.items}
              level={data.unit.level === 'nation' ? 'province' : 'commune'}
              unitLink={(unit) => boardLink(params, unit)}
            />
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
