import type { FigureMetric } from '../../api/stats.ts';

/** The filters a dashboard passes on to its drill-downs (the unit is set by the caller). */
const CARRIED = ['from', 'to', 'channel', 'field', 'procedure'] as const;

function carry(params: URLSearchParams, changes: Record<string, string>) {
  const next = new URLSearchParams();
  for (const key of CARRIED) {
    const value = params.get(key);
    if (value) next.set(key, value);
  }
  for (const [k, v] of Object.entries(changes)) next.set(k, v);
  return next.toString();
}

/** A unit's dashboard with the same period and filters. */
export const dashboardLink = (params: URLSearchParams, unit: string) =>
  `/staff/stats?${carry(params, { unit })}`;

/** The unit's periodic reports, for the period the dashboard shows. */
export const reportsLink = (unit: string, period: { from: string; to: string }) =>
  `/staff/reports?${new URLSearchParams({ unit, from: period.from, to: period.to }).toString()}`;

/** The dossiers behind a figure, counted as the figure is. */
export const dossiersLink = (params: URLSearchParams, unit: string, metric: FigureMetric) =>
  `/staff/stats/dossiers?${carry(params, { unit, metric })}`;

/** The public board of a unit, same period. */
export const boardLink = (params: URLSearchParams, unit: string) => {
  const query = carry(params, {});
  return `/board/${unit}${query ? `?${query}` : ''}`;
};

/**
 * The dossiers each 766 indicator's numerator and denominator count (the catalogue's two count
 * procedures, not dossiers, and reuse counts components: no list).
 */
export const RATIO_METRICS: Record<string, { numerator?: FigureMetric; denominator?: FigureMetric }> = {
  late_apologized: { denominator: 'resolved_late' },
  resolved_on_time: { denominator: 'resolved' },
  in_progress_on_time: { denominator: 'in_progress' },
  dossiers_online: { denominator: 'received' },
  paid_online: { numerator: 'paid_online' },
  e_results: { numerator: 'e_results', denominator: 'resolved' },
  dossiers_digitized: { denominator: 'received' },
  satisfaction: { denominator: 'rated' },
};
