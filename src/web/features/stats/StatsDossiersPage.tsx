import { Alert, Anchor, Badge, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type DossierStateName, NATIONAL_STATUS } from '../../../core/dossiers/dossier-status.ts';
import type { Me } from '../../api/staff.ts';
import { FIGURE_METRICS, type FigureMetric, getFigureDossiers, getUnitSummary } from '../../api/stats.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { ListPagination } from '../../components/ListPagination.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { dashboardLink } from './stats-links.ts';
import { useStatsParams } from './use-stats-params.ts';

const PAGE_SIZE = 20;

/** The dossiers behind a dashboard's figure (/staff/stats/dossiers?unit=…&metric=…), page by page. */
export default function StatsDossiersPage() {
  const { t, i18n } = useTranslation();
  const me = useQueryClient().getQueryData<Me>(['me']);
  const { stats, params, page, set } = useStatsParams(me?.user.unitCode ?? 'VN');
  const asked = params.get('metric') ?? '';
  const metric: FigureMetric = (FIGURE_METRICS as readonly string[]).includes(asked)
    ? (asked as FigureMetric)
    : 'received';
  const list = useQuery({
    queryKey: ['stats', stats, 'dossiers', metric, page],
    queryFn: ({ signal }) => getFigureDossiers({ ...stats, metric, page, pageSize: PAGE_SIZE }, signal),
    enabled: stats.unit !== 'VN',
    placeholderData: keepPreviousData,
  });
  const unit = useQuery({
    queryKey: ['unit', stats.unit],
    queryFn: () => getUnitSummary(stats.unit),
    enabled: stats.unit !== 'VN',
    staleTime: Number.POSITIVE_INFINITY,
  });
  const data = list.data;
  return (
    <Stack>
      <Anchor component={Link} to={dashboardLink(params, stats.unit)} size="sm" className="no-print">
        {t('stats.dossiers.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('stats.dossiers.heading', {
          metric: t(`stats.metrics.${metric}`),
          unit: unit.data?.name ?? stats.unit,
        })}
      </Title>
      <Text size="sm" c="dimmed">
        {formatDate(stats.from, i18n.language)} – {formatDate(stats.to, i18n.language)}
        {stats.channel ? ` · ${t(`channel.${stats.channel as 'online'}`)}` : ''}
      </Text>
      {stats.unit === 'VN' ? <Alert color="gray">{t('stats.dossiers.nationNoList')}</Alert> : null}
      {list.error ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {!data && list.isPending && stats.unit !== 'VN' ? <PageLoader /> : null}
      {data ? (
        <>
          <Text size="sm" aria-live="polite">
            {t('stats.dossiers.total', { count: data.total })}
          </Text>
          {data.items.length === 0 ? <Alert color="gray">{t('stats.dossiers.empty')}</Alert> : null}
          {data.items.length > 0 ? (
            <Table.ScrollContainer minWidth={820}>
              <Table striped verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('stats.dossiers.code')}</Table.Th>
                    <Table.Th scope="col">{t('stats.dossiers.applicant')}</Table.Th>
                    <Table.Th scope="col">{t('stats.dossiers.procedure')}</Table.Th>
                    <Table.Th scope="col">{t('stats.dossiers.state')}</Table.Th>
                    <Table.Th scope="col">{t('stats.dossiers.receivedAt')}</Table.Th>
                    <Table.Th scope="col">{t('stats.dossiers.dueAt')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((d) => (
                    <Table.Tr key={d.code}>
                      <Table.Th scope="row" fw={600}>
                        {/* The work list finds a dossier by its code (the list carries no id). */}
                        <Anchor
                          component={Link}
                          to={`/staff/dossiers?view=all&q=${encodeURIComponent(d.code)}`}
                        >
                          {d.code}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {t(`channel.${d.channel}`)}
                        </Text>
                      </Table.Th>
                      <Table.Td>{d.applicant}</Table.Td>
                      <Table.Td maw={320}>
                        <Text size="sm" lineClamp={2}>
                          {d.procedureName}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge
                          size="sm"
                          statusCode={NATIONAL_STATUS[d.state as DossierStateName] ?? 4}
                        />
                      </Table.Td>
                      <Table.Td>{formatDateTime(d.receivedAt, i18n.language)}</Table.Td>
                      <Table.Td>
                        {formatDateTime(d.dueAt, i18n.language)}
                        {d.daysOverdue > 0 ? (
                          <div>
                            <Badge color="red" variant="filled" tt="none" size="sm">
                              {t('deadline.overdue')} · {t('stats.dossiers.days', { count: d.daysOverdue })}
                            </Badge>
                          </div>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : null}
          <ListPagination
            total={data?.total ?? 0}
            pageSize={data?.pageSize ?? PAGE_SIZE}
            page={page}
            onChange={(p) => set({ page: String(p) })}
            className="no-print"
          />
        </>
      ) : null}
    </Stack>
  );
}
