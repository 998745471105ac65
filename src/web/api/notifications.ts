import { NotificationList } from '../../core/notifications/notifications.schemas.ts';
import { api } from './client.ts';

/** A dossier's messages to its applicant (GET /api/dossiers/:id/notifications). */
export const listDossierMessages = (id: number, signal?: AbortSignal) =>
  api(`/api/dossiers/${id}/notifications`, NotificationList, signal ? { signal } : {});
