import { Anchor, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FigureMetric, PublicStats } from '../../api/stats.ts';
import { formatNumber, formatShare } from './stats-format.ts';

export type KpiFigures = Omit<PublicStats, 'overdue'>;

/** A figure that opens the dossiers behind it, when there is a list to open (staff, not the nation). */
function Figure({
  value,
  metric,
  linkFor,
}: {
  value: ReactNode;
  metric: FigureMetric;
  linkFor: ((metric: FigureMetric) => string) | undefined;
}) {
  if (!linkFor) return <>{value}</>;
  return (
    <Anchor component={Link} to={linkFor(metric)} inherit underline="always">
      {value}
    </Anchor>
  );
}

function Card({ title, value, children }: { title: string; value: ReactNode; children?: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" className="stats-card">
      <Stack gap={4}>
        <Text size="sm" fw={600} c="dimmed" component="h3" m={0}>
          {title}
        </Text>
        <Text fz={28} fw={700} lh={1.2}>
          {value}
        </Text>
        {children ? (
          <Text size="sm" component="div">
            {children}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

/** The headline figures of a unit and period: received, on time, in progress, online, satisfaction, 766. */
export function KpiCards({
  figures,
  linkFor,
  compact = false,
}: {
  figures: KpiFigures;
  linkFor?: (metric: FigureMetric) => string;
  compact?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const n = (x: number | null | undefined) => formatNumber(x, i18n.language);
  const share = (x: number | null | undefined) => formatShare(x, i18n.language, t);
  const { received, resolved, inProgress, satisfaction, score766 } = figures;
  return (
    <section aria-labelledby="kpi-heading">
      <Title order={2} size="h3" id="kpi-heading" mb="sm">
        {t('stats.kpi.heading')}
      </Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
        {compact ? null : (
          <Card
            title={t('stats.kpi.received')}
            value={<Figure value={n(received.total)} metric="received" linkFor={linkFor} />}
          >
            {t('stats.kpi.receivedSplit', {
              counter: n(received.counter),
              online: n(received.online),
              postal: n(received.postal),
            })}
          </Card>
        )}
        <Card title={t('stats.kpi.onTime')} value={share(figures.onTimeShare)}>
          <Figure
            value={t('stats.kpi.onTimeDetail', {
              numerator: n(resolved.early + resolved.onTime),
              denominator: n(resolved.total),
            })}
            metric="resolved"
            linkFor={linkFor}
          />
          {' · '}
          <Figure
            value={t('stats.kpi.late', { count: resolved.late })}
            metric="resolved_late"
            linkFor={linkFor}
          />
        </Card>
        {compact ? null : (
          <Card
            title={t('stats.kpi.inProgress')}
            value={<Figure value={n(inProgress.total)} metric="in_progress" linkFor={linkFor} />}
          >
            {t('stats.kpi.inProgressDetail', { onTime: n(inProgress.onTime) })}
            {' · '}
            <Figure
              value={t('stats.kpi.overdue', { count: inProgress.overdue })}
              metric="overdue"
              linkFor={linkFor}
            />
          </Card>
        )}
        <Card title={t('stats.kpi.online')} value={share(figures.onlineShare)}>
          {t('stats.kpi.onlineDetail', {
            online: n(received.online),
            total: n(received.total),
            full: share(figures.fullOnlineShare),
          })}
        </Card>
        <Card title={t('stats.kpi.satisfaction')} value={share(satisfaction.share)}>
          <Figure
            value={t('stats.kpi.satisfactionDetail', { count: satisfaction.rated })}
            metric="rated"
            linkFor={linkFor}
          />
        </Card>
        <Card
          title={t('stats.kpi.score')}
          value={score766.total === null ? t('stats.noData') : n(score766.total)}
        >
          {t('stats.kpi.scoreDetail', { earned: n(score766.earned), max: n(score766.measurableMax) })}
        </Card>
        {compact ? (
          <Card
            title={t('stats.kpi.processing')}
            value={
              figures.processingDays.average === null
                ? t('stats.noData')
                : t('stats.kpi.processingValue', { days: n(figures.processingDays.average) })
            }
          >
            {t('stats.kpi.processingDetail', {
              average: n(figures.processingDays.average),
              median: n(figures.processingDays.median),
            })}
          </Card>
        ) : null}
      </SimpleGrid>
    </section>
  );
}
