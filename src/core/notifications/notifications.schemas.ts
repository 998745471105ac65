import { z } from 'zod';
import { CHANNELS, NOTIFICATION_EVENTS } from './templates.ts';

export const NotificationStatus = z.enum(['pending', 'sending', 'sent', 'delivered', 'failed', 'cancelled']);

/** A message to the applicant as staff see it (GET /api/dossiers/:id/notifications). */
export const NotificationItem = z.object({
  id: z.number(),
  event: z.enum(NOTIFICATION_EVENTS),
  templateVersion: z.number(),
  channel: z.enum(CHANNELS),
  /** The last three digits of the number, or the first letter and the domain of the address. */
  recipient: z.string(),
  status: NotificationStatus,
  attempts: z.number(),
  error: z.string().nullable(),
  /** The Zalo message this SMS replaced. */
  fallbackOf: z.number().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});
export type NotificationItem = z.infer<typeof NotificationItem>;

export const NotificationList = z.object({ items: z.array(NotificationItem), total: z.number() });
export type NotificationList = z.infer<typeof NotificationList>;
