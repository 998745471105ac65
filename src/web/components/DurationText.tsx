import { useTranslation } from 'react-i18next';
import type { Duration } from '../../core/calendar/schemas.ts';

export function DurationText({ duration }: { duration: Duration }) {
  const { t } = useTranslation();
  if (duration.unit === 'same_day') return <>{t('duration.same_day')}</>;
  return <>{t(`duration.${duration.unit}`, { count: duration.amount })}</>;
}
