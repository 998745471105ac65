import { Alert, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Trend, TrendPoint } from '../../api/stats.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { formatDate } from '../../components/format.ts';
import { type Period, periodKeys } from './period.ts';
import type { TrendSeries } from './TrendEChart.tsx';

const TrendEChart = lazy(() => import('./TrendEChart.tsx'));

// Shade 9 of Mantine's blue, teal, grape and red: at least 3:1 against white, as WCAG asks of graphics.
const COLOURS = { online: '#1864ab', counter: '#087f5b', postal: '#862e9c', late: '#c92a2a' };

/** Received online and at the counter and by post (stacked bars) and resolved late (a line), with the same as a table. */
export function TrendChart({ trend, period: { from, to } }: { trend: Trend; period: Period }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  // ECharts redraws when these change: made once per trend and language.
  const { labels, series, points } = useMemo(() => {
    // Days (or months) without a dossier are zeros, not gaps.
    const byKey = new Map(
      trend.points.map((p) => [p.period.slice(0, trend.granularity === 'day' ? 10 : 7), p]),
    );
    const zero = (key: string): TrendPoint => ({
      period: key,
      received: 0,
      online: 0,
      counter: 0,
      postal: 0,
      resolved: 0,
      onTime: 0,
      late: 0,
    });
    const points = periodKeys({ from, to }, trend.granularity).map((key) => byKey.get(key) ?? zero(key));
    const label = (key: string) =>
      trend.granularity === 'day'
        ? formatDate(key, language).slice(0, 5)
        : `${key.slice(5, 7)}/${key.slice(0, 4)}`;
    const line = (key: 'online' | 'counter' | 'postal' | 'late', kind: TrendSeries['kind']): TrendSeries => ({
      name: t(`stats.trend.${key}`),
      kind,
      colour: COLOURS[key],
      values: points.map((p) => p[key]),
    });
    return {
      labels: points.map((p) => label(p.period)),
      series: [line('online', 'bar'), line('counter', 'bar'), line('postal', 'bar'), line('late', 'line')],
      points,
    };
  }, [trend, from, to, t, language]);
  const sum = (key: 'online' | 'counter' | 'postal' | 'late') => trend.points.reduce((s, p) => s + p[key], 0);
  const summary = trend.points.length
    ? t('stats.trend.summary', {
        first: labels[0] ?? '',
        last: labels.at(-1) ?? '',
        online: sum('online'),
        counter: sum('counter'),
        postal: sum('postal'),
        late: sum('late'),
      })
    : '';
  return (
    <section aria-labelledby="trend-heading">
      <Title order={2} size="h3" id="trend-heading" mb="sm">
        {t('stats.trend.heading')}
      </Title>
      {trend.points.length === 0 ? (
        <Alert color="gray">{t('stats.trend.empty')}</Alert>
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="xs">
            {summary}
          </Text>
          <Suspense fallback={<PageLoader />}>
            <TrendEChart labels={labels} series={series} />
          </Suspense>
          <VisuallyHidden>
            <Table>
              <caption>{t('stats.trend.tableCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(`stats.trend.${trend.granularity}`)}</th>
                  {series.map((s) => (
                    <th scope="col" key={s.name}>
                      {s.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {labels.map((l, i) => (
                  <tr key={points[i]?.period}>
                    <th scope="row">{l}</th>
                    {series.map((s) => (
                      <td key={s.name}>{s.values[i]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </Table>
          </VisuallyHidden>
        </>
      )}
    </section>
  );
}
