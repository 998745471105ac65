import type { IntakeInput } from '../../core/dossiers/dossier-inputs.ts';
import type { StaffPrincipal } from '../../core/identity/roles.ts';
import type { DossierView as ServerDossierView } from '../../server/modules/dossiers/dossier-view.ts';
import type { Paged } from './catalog.ts';
import { api, setCsrfToken, toQuery } from './client.ts';

/** The applicant as a dossier keeps them: the address tied to its current commune. */
export type StoredApplicant = {
  citizenId: string;
  fullName: string;
  dateOfBirth: string;
  phone?: string;
  email?: string;
  address: { text: string; communeCode: string; formatted: string; oldUnits: string[] };
};
export type DossierComponent = {
  key: string;
  name: string;
  requirement: string;
  originals: number;
  copies: number;
  handedIn: boolean;
};
export type DossierView = Omit<ServerDossierView, 'applicant' | 'components'> & {
  applicant: StoredApplicant;
  components: DossierComponent[];
};
export type Me = { csrfToken: string; user: StaffPrincipal };

export async function getMe(): Promise<Me> {
  const me = await api<Me>('/api/auth/me');
  setCsrfToken(me.csrfToken);
  return me;
}

export async function login(username: string, password: string): Promise<Me> {
  const me = await api<Me>('/api/auth/login', { method: 'POST', body: { username, password } });
  setCsrfToken(me.csrfToken);
  return me;
}

export async function logout() {
  await api<void>('/api/auth/logout', { method: 'POST' });
  setCsrfToken('');
}

export type DossierListItem = {
  id: number;
  code: string;
  channel: 'counter' | 'online' | 'postal';
  applicantName: string;
  citizenId: string;
  procedureCode: string;
  procedureName: string;
  receivingUnitCode: string;
  status: string;
  statusCode: number;
  stepKey: string | null;
  submittedAt: string;
  dueAt: string | null;
  stepDueAt: string | null;
  overdue: boolean;
  version: number;
};

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
  return api<Paged<DossierListItem>>(`/api/dossiers${toQuery(params)}`, signal ? { signal } : {});
}

export function getDossier(id: number) {
  return api<DossierView>(`/api/dossiers/${id}`);
}

export type IntakeAnswer = {
  id: number;
  code: string;
  status: string;
  statusCode: number;
  dueAt: string | null;
  version: number;
};

export function createDossier(input: IntakeInput, idempotencyKey: string) {
  return api<IntakeAnswer>('/api/dossiers', { method: 'POST', body: input, idempotencyKey });
}

export function actOnDossier(
  id: number,
  action: string,
  body: Record<string, unknown>,
  idempotencyKey: string,
) {
  return api<DossierView>(`/api/dossiers/${id}/actions/${action}`, { method: 'POST', body, idempotencyKey });
}

export type DossierDocument = {
  id: number;
  componentKey: string | null;
  kind: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  createdAt: string;
};

export function listDocuments(id: number) {
  return api<{ items: DossierDocument[] }>(`/api/dossiers/${id}/documents`);
}

export type Colleague = { id: number; fullName: string; role: string; roleName: string };

/** The officers of a commune (one's own by default) who handle dossiers. */
export function listColleagues(role: string, unit?: string) {
  return api<{ items: Colleague[] }>(`/api/staff${toQuery({ role, unit, pageSize: 100 })}`);
}
