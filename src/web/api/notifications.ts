import { NotificationList } from '../../core/notifications/notifications.schemas.ts';
import { api } from './client.ts';

/** A dossier's messages to its applicant (GET /api/dossiers/:id/notifications), read with the server's schema. */
export const listDossierMessages = (id: number, signal?: AbortSignal) =>
  api<unknown>(`/api/dossiers/${id}/notifications`, signal ? { signal } : {}).then((body) =>
    NotificationList.parse(body),
  );
