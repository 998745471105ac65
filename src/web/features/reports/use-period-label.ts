import { useTranslation } from 'react-i18next';
import type { Period } from '../../../core/stats/report-periods.ts';
import { formatDate } from '../../components/format.ts';
import { periodName } from './report-periods.ts';

/** "Tháng 10/2026", "Quý III/2026", "Năm 2025" or "01/07/2025–18/07/2025", in the reader's language. */
export function usePeriodLabel() {
  const { t, i18n } = useTranslation();
  return (period: Period) => {
    const name = periodName(period);
    switch (name.kind) {
      case 'month':
        return t('reports.period.month', { month: name.month, year: name.year });
      case 'quarter':
        return t('reports.period.quarter', { quarter: name.quarter, year: name.year });
      case 'year':
        return t('reports.period.year', { year: name.year });
      case 'range':
        return t('reports.period.range', {
          from: formatDate(period.from, i18n.language),
          to: formatDate(period.to, i18n.language),
        });
    }
  };
}
