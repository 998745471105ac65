import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from './format.ts';

const DAY_MS = 86_400_000;
const vnDate = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

export type DeadlineLevel = 'overdue' | 'today' | 'soon' | 'ok' | 'paused' | 'none';

/** National statuses whose clock runs (received, being processed) or stands still (supplement, payment). */
const RUNNING = new Set([2, 4]);
const PAUSED = new Set([5, 6]);

/**
 * How close a due date is, in Vietnam's days: overdue (the server's word), today, within two days, or
 * later; a paused clock and a closed or finished dossier have no deadline to watch.
 */
export function deadlineLevel(
  dueAt: string | null,
  overdue: boolean,
  statusCode: number,
  now = new Date(),
): DeadlineLevel {
  if (overdue) return 'overdue';
  if (PAUSED.has(statusCode)) return 'paused';
  if (!dueAt || !RUNNING.has(statusCode)) return 'none';
  const due = new Date(dueAt);
  if (due < now) return 'overdue';
  if (vnDate(due) === vnDate(now)) return 'today';
  if (due.getTime() - now.getTime() <= 2 * DAY_MS) return 'soon';
  return 'ok';
}

const COLOURS: Record<DeadlineLevel, string> = {
  overdue: 'red',
  today: 'orange',
  soon: 'yellow',
  ok: 'green',
  paused: 'grape',
  none: 'gray',
};

/** The due date with a coloured word: the colour is never the only signal. */
export function DeadlineBadge({
  dueAt,
  overdue,
  statusCode,
}: {
  dueAt: string | null;
  overdue: boolean;
  statusCode: number;
}) {
  const { t, i18n } = useTranslation();
  const level = deadlineLevel(dueAt, overdue, statusCode);
  if (level === 'none') return null;
  return (
    <Badge color={COLOURS[level]} variant={level === 'overdue' ? 'filled' : 'light'} tt="none">
      {t(`deadline.${level}`)}
      {dueAt ? ` · ${formatDateTime(dueAt, i18n.language)}` : ''}
    </Badge>
  );
}
