import { Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import type { Me } from '../../api/staff.ts';
import { getIndicators, getProcedureFigures, getRanking, getTrend, getUnitSummary } from '../../api/stats.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDate } from '../../components/format.ts';
import { KpiCards } from './KpiCards.tsx';
import { ProcedureTable } from './ProcedureTable.tsx';
import { RankingTable } from './RankingTable.tsx';
import { Score766Table } from './Score766Table.tsx';
import { StatsFilters } from './StatsFilters.tsx';
import { dashboardLink, dossiersLink, reportsLink } from './stats-links.ts';
import { TrendChart } from './TrendChart.tsx';
import { useStatsParams } from './use-stats-params.ts';

const PROVINCE_ROLES = new Set(['province_admin', 'province_inspector']);
const NATION_ROLES = new Set(['ministry_viewer', 'system_admin']);

/** The way up from the unit shown, as far as the officer may see. */
function upLinks(user: StaffPrincipal, unit: { level: string; provinceCode: string | null }) {
  const wide = NATION_ROLES.has(user.role);
  if (unit.level === 'commune' && unit.provinceCode && (wide || PROVINCE_ROLES.has(user.role)))
    return unit.provinceCode;
  if (unit.level === 'province' && wide) return 'VN';
  return null;
}

/**
 * A unit's dashboard at /staff/stats: a commune officer sees their commune, a province's roles their
 * province, the ministry the nation; the period and filters live in the URL, every figure opens the
 * dossiers behind it, and a province or the nation ranks the units below it.
 */
export default function StatsPage() {
  const { t, i18n } = useTranslation();
  const me = useQueryClient().getQueryData<Me>(['me']);
  const { stats, set, params } = useStatsParams(me?.user.unitCode ?? 'VN');
  const key = ['stats', stats] as const;
  const indicators = useQuery({
    queryKey: [...key, 'indicators'],
    queryFn: ({ signal }) => getIndicators(stats, signal),
    placeholderData: keepPreviousData,
  });
  const unit = indicators.data?.unit;
  // From the code, not the answer: the answer shown may still be the last unit's while the new one loads.
  const level = stats.unit === 'VN' ? 'nation' : stats.unit.length === 2 ? 'province' : 'commune';
  const trend = useQuery({
    queryKey: [...key, 'trend'],
    queryFn: ({ signal }) => getTrend(stats, signal),
    placeholderData: keepPreviousData,
  });
  const procedures = useQuery({
    queryKey: [...key, 'procedures'],
    queryFn: ({ signal }) => getProcedureFigures(stats, signal),
    placeholderData: keepPreviousData,
  });
  const ranking = useQuery({
    queryKey: [...key, 'ranking'],
    queryFn: ({ signal }) => getRanking(stats, signal),
    enabled: level !== 'commune',
    placeholderData: keepPreviousData,
  });

  // The nation has no list to read: its figures open nothing.
  const linkFor =
    level === 'nation'
      ? undefined
      : (metric: Parameters<typeof dossiersLink>[2]) => dossiersLink(params, stats.unit, metric);
  const up = me && unit ? upLinks(me.user, unit) : null;
  const upUnit = useQuery({
    queryKey: ['unit', up],
    queryFn: () => getUnitSummary(up ?? ''),
    enabled: up !== null && up !== 'VN',
    staleTime: Number.POSITIVE_INFINITY,
  });
  const data = indicators.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          {up ? (
            <Anchor component={Link} to={dashboardLink(params, up)} size="sm" className="no-print">
              {t('stats.up', { name: up === 'VN' ? t('stats.nation') : (upUnit.data?.name ?? up) })}
            </Anchor>
          ) : null}
          <Title order={1} size="h2">
            {t('stats.title', { unit: unit?.code === 'VN' ? t('stats.nation') : (unit?.name ?? stats.unit) })}
          </Title>
          {data ? (
            <Text size="sm" c="dimmed">
              {t('stats.periodLine', {
                from: formatDate(data.period.from, i18n.language),
                to: formatDate(data.period.to, i18n.language),
                asOf: formatDate(data.period.asOf, i18n.language),
              })}
            </Text>
          ) : null}
        </div>
        <Group gap="sm" className="no-print">
          <Button component={Link} to={reportsLink(stats.unit, stats)} variant="default">
            {t('reports.nav')}
          </Button>
          <Button variant="default" onClick={() => window.print()}>
            {t('stats.print')}
          </Button>
        </Group>
      </Group>
      <StatsFilters key={`${stats.from}:${stats.to}`} stats={stats} set={set} />
      {indicators.error ? (
        <ErrorNotice error={indicators.error} onRetry={() => void indicators.refetch()} />
      ) : null}
      {!data && indicators.isPending ? <PageLoader /> : null}
      {data ? (
        <>
          <KpiCards figures={data} linkFor={linkFor} />
          {trend.data ? <TrendChart trend={trend.data} period={stats} /> : null}
          <Score766Table score={data.score766} linkFor={linkFor} />
          {level !== 'commune' && ranking.data ? (
            <RankingTable
              items={ranking.data.items}
              level={level === 'nation' ? 'province' : 'commune'}
              unitLink={(code) => dashboardLink(params, code)}
              overdueLink={(code) => dossiersLink(params, code, 'overdue')}
            />
          ) : null}
          {ranking.error ? (
            <ErrorNotice error={ranking.error} onRetry={() => void ranking.refetch()} />
          ) : null}
          {procedures.data ? <ProcedureTable items={procedures.data.items} /> : null}
          {trend.error || procedures.error ? (
            <ErrorNotice error={trend.error ?? procedures.error} onRetry={() => void trend.refetch()} />
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
