import type { OnlineSubmission } from '../../core/dossiers/dossier-inputs.ts';
import type { CitizenPrincipal, RatingInput, Satisfaction } from '../../core/identity/citizen.ts';
import type { Paged } from './catalog.ts';
import { api, type RequestOptions, setCsrfToken, toQuery } from './client.ts';

/** The citizen signed in with VNeID, and the token their writes carry. */
export type CitizenMe = { csrfToken: string; citizen: CitizenPrincipal };

let citizenToken = '';

/**
 * The client holds one CSRF token and the staff face sets its own; every citizen write puts the citizen's
 * back first, so a visit to /staff in the same tab never breaks the portal.
 */
function write<T>(path: string, options: RequestOptions) {
  if (citizenToken) setCsrfToken(citizenToken);
  return api<T>(path, options);
}

/** 401 when nobody is signed in. */
export async function getCitizenMe(): Promise<CitizenMe> {
  const me = await api<CitizenMe>('/api/citizen/me');
  citizenToken = me.csrfToken;
  setCsrfToken(me.csrfToken);
  return me;
}

export async function logoutCitizen() {
  await write<void>('/api/citizen/logout', { method: 'POST' });
  citizenToken = '';
  setCsrfToken('');
}

/** Where VNeID sign-in starts: a full-page navigation, back to `returnTo` with the session cookie. */
export function vneidStartUrl(returnTo: string) {
  return `/auth/vneid/start${toQuery({ returnTo })}`;
}

const path = (code: string) => encodeURIComponent(code);

/** Resolves when the citizen may file this procedure online; 403 IDENTITY_LEVEL_TOO_LOW says why not. */
export function checkEligibility(code: string) {
  return api<{ eligible: true }>(`/api/citizen/procedures/${path(code)}/eligibility`);
}

export type DraftFile = {
  sha256: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  pages: number | null;
};
export type DraftSummary = { procedureCode: string; procedureName: string | null; updatedAt: string };
export type Draft = {
  procedureCode: string;
  data: Record<string, unknown>;
  files: Record<string, DraftFile>;
  updatedAt: string | null;
};

export function listDrafts() {
  return api<{ items: DraftSummary[] }>('/api/citizen/drafts');
}

export function getDraft(code: string) {
  return api<Draft>(`/api/citizen/drafts/${path(code)}`);
}

export function saveDraft(code: string, data: Record<string, unknown>) {
  return write<void>(`/api/citizen/drafts/${path(code)}`, { method: 'PUT', body: { data } });
}

function filesForm(files: File[]) {
  const body = new FormData();
  for (const f of files) body.append('file', f, f.name);
  return body;
}

/** One PDF, or photos made into one PDF on the server; replaces the component's last file. */
export function uploadDraftFile(code: string, key: string, files: File[]) {
  return write<DraftFile>(`/api/citizen/drafts/${path(code)}/components/${key}/file`, {
    method: 'POST',
    body: filesForm(files),
  });
}

export function removeDraftFile(code: string, key: string) {
  return write<void>(`/api/citizen/drafts/${path(code)}/components/${key}/file`, { method: 'DELETE' });
}

export type Submitted = {
  id: number;
  code: string;
  status: string;
  statusCode: number;
  dueAt: string | null;
  version: number;
};

export function submitOnline(input: OnlineSubmission, idempotencyKey: string) {
  return write<Submitted>('/api/citizen/dossiers', { method: 'POST', body: input, idempotencyKey });
}

export type MyDossierItem = {
  id: number;
  code: string;
  channel: 'counter' | 'online' | 'postal';
  procedureCode: string;
  procedureName: string;
  statusCode: number;
  submittedAt: string;
  dueAt: string | null;
  overdue: boolean;
  needsSupplement: boolean;
  hasResult: boolean;
  rated: boolean;
};

export function listMyDossiers(page: number, pageSize: number) {
  return api<Paged<MyDossierItem>>(`/api/citizen/dossiers${toQuery({ page, pageSize })}`);
}

export type Supplement = {
  requestedAt: string;
  reasons: string[];
  missingComponents: string[];
  applicantDeadline: string | null;
};

export type MyDossier = {
  id: number;
  code: string;
  channel: 'counter' | 'online' | 'postal';
  procedure: { code: string; name: string };
  statusCode: number;
  submittedAt: string;
  receivedAt: string | null;
  dueAt: string | null;
  overdue: boolean;
  resultReadyAt: string | null;
  returnedAt: string | null;
  timeline: { at: string; kind: string; verdict: 'early' | 'on_time' | 'late' | null }[];
  components: { key: string; name: string; requirement: string }[];
  supplement: Supplement | null;
  hasResult: boolean;
  rating: { rating: Satisfaction; comment: string | null; at: string } | null;
  canRate: boolean;
  version: number;
};

export function getMyDossier(id: number) {
  return api<MyDossier>(`/api/citizen/dossiers/${id}`);
}

/** The signed result, opened by the browser itself (a download, not JSON). */
export function resultUrl(id: number) {
  return `/api/citizen/dossiers/${id}/result.pdf`;
}

export function uploadSupplementFile(id: number, key: string, files: File[]) {
  return write<DraftFile>(`/api/citizen/dossiers/${id}/components/${key}/documents`, {
    method: 'POST',
    body: filesForm(files),
  });
}

export function handInSupplement(id: number, note: string | undefined, idempotencyKey: string) {
  return write<MyDossier>(`/api/citizen/dossiers/${id}/supplement`, {
    method: 'POST',
    body: note ? { note } : {},
    idempotencyKey,
  });
}

export function rateDossier(id: number, input: RatingInput) {
  return write<MyDossier>(`/api/citizen/dossiers/${id}/rating`, { method: 'POST', body: input });
}

/** A counter's request to use papers of the citizen's store for one of their dossiers. */
export type StoreConsentRequest = {
  id: number;
  dossierId: number;
  dossierCode: string;
  unitName: string;
  requestedAt: string;
  answerBy: string;
};

export function listStoreConsentRequests() {
  return api<{ items: StoreConsentRequest[] }>('/api/citizen/store-consents');
}

export function answerStoreConsentRequest(id: number, answer: 'approve' | 'decline') {
  return write<{ status: 'granted' | 'declined'; expiresAt: string | null }>(
    `/api/citizen/store-consents/${id}/${answer}`,
    { method: 'POST' },
  );
}
