import type { StatsParams } from '../../api/stats.ts';
import { useUrlFilters } from '../../components/use-url-filters.ts';
import { periodFrom } from './period.ts';

const CHANNELS = new Set(['counter', 'online', 'postal']);

/** The period, channel and field of a dashboard, kept in the URL (a shared link shows the same figures). */
export function useStatsParams(defaultUnit: string) {
  const filters = useUrlFilters();
  const period = periodFrom(filters.params);
  const channel = filters.get('channel');
  const stats: StatsParams = {
    unit: filters.get('unit') || defaultUnit,
    ...period,
    ...(CHANNELS.has(channel) ? { channel } : {}),
    ...(filters.get('field') ? { field: filters.get('field') } : {}),
    ...(filters.get('procedure') ? { procedure: filters.get('procedure') } : {}),
  };
  return { ...filters, stats };
}
