import { DossierDocuments } from '../../core/documents/documents.schemas.ts';
import type { IntakeInput } from '../../core/dossiers/dossier-inputs.ts';
import {
  DossierList,
  type DossierListItem,
  DossierView,
  IntakeAnswer,
} from '../../core/dossiers/dossier-views.schemas.ts';
import { Me, StaffList } from '../../core/identity/staff.schemas.ts';
import { api, send, setCsrfToken, toQuery } from './client.ts';

export type { DossierListItem, DossierView, IntakeAnswer, Me };

export async function getMe(): Promise<Me> {
  const me = await api('/api/auth/me', Me);
  setCsrfToken(me.csrfToken);
  return me;
}

export async function login(username: string, password: string): Promise<Me> {
  const me = await api('/api/auth/login', Me, { method: 'POST', body: { username, password } });
  setCsrfToken(me.csrfToken);
  return me;
}

export async function logout() {
  await send('/api/auth/logout', { method: 'POST' });
  setCsrfToken('');
}

export type DossierListParams = {
  view?: string;
  q?: string;
  status?: string;
  channel?: string;
  page?: number;
  pageSize?: number;
  sort?: string;
};

export function listDossiers(params: DossierListParams, signal?: AbortSignal) {
  return api(`/api/dossiers${toQuery(params)}`, DossierList, signal ? { signal } : {});
}

export function getDossier(id: number) {
  return api(`/api/dossiers/${id}`, DossierView);
}

export function createDossier(input: IntakeInput, idempotencyKey: string) {
  return api('/api/dossiers', IntakeAnswer, { method: 'POST', body: input, idempotencyKey });
}

export function actOnDossier(
  id: number,
  action: string,
  body: Record<string, unknown>,
  idempotencyKey: string,
) {
  return api(`/api/dossiers/${id}/actions/${action}`, DossierView, { method: 'POST', body, idempotencyKey });
}

/** The dossier's components with how each was digitized, and its signed results. */
export function listDocuments(id: number) {
  return api(`/api/dossiers/${id}/documents`, DossierDocuments);
}

/** The officers of a commune (one's own by default) who handle dossiers. */
export function listColleagues(role: string, unit?: string) {
  return api(`/api/staff${toQuery({ role, unit, pageSize: 100 })}`, StaffList);
}
