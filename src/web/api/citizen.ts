import type { z } from 'zod';
import {
  CitizenConsentAnswer,
  type CitizenConsentRequest,
  CitizenConsentRequests,
} from '../../core/documents/documents.schemas.ts';
import {
  CitizenDossier,
  type CitizenDossierItem,
  CitizenDossierList,
  type SupplementRequest,
} from '../../core/dossiers/citizen-dossiers.schemas.ts';
import {
  Draft,
  DraftFile,
  DraftList,
  type DraftSummary,
  Eligibility,
  SubmittedDossier,
} from '../../core/dossiers/citizen-drafts.schemas.ts';
import type { OnlineSubmission } from '../../core/dossiers/dossier-inputs.ts';
import { CitizenMe, type RatingInput } from '../../core/identity/citizen.ts';
import { api, type RequestOptions, send, setCsrfToken, toQuery } from './client.ts';

export type {
  CitizenConsentRequest,
  CitizenDossier,
  CitizenDossierItem,
  CitizenMe,
  Draft,
  DraftFile,
  DraftSummary,
  SubmittedDossier,
  SupplementRequest,
};

let citizenToken = '';

/**
 * The client holds one CSRF token and the staff face sets its own; every citizen write puts the citizen's
 * back first, so a visit to /staff in the same tab never breaks the portal.
 */
function write<S extends z.ZodType>(path: string, schema: S, options: RequestOptions) {
  if (citizenToken) setCsrfToken(citizenToken);
  return api(path, schema, options);
}

/** A citizen write whose answer has no body (204). */
function writeOnly(path: string, options: RequestOptions) {
  if (citizenToken) setCsrfToken(citizenToken);
  return send(path, options);
}

/** 401 when nobody is signed in. */
export async function getCitizenMe(): Promise<CitizenMe> {
  const me = await api('/api/citizen/me', CitizenMe);
  citizenToken = me.csrfToken;
  setCsrfToken(me.csrfToken);
  return me;
}

export async function logoutCitizen() {
  await writeOnly('/api/citizen/logout', { method: 'POST' });
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
  return api(`/api/citizen/procedures/${path(code)}/eligibility`, Eligibility);
}

export function listDrafts() {
  return api('/api/citizen/drafts', DraftList);
}

export function getDraft(code: string) {
  return api(`/api/citizen/drafts/${path(code)}`, Draft);
}

export function saveDraft(code: string, data: Record<string, unknown>) {
  return writeOnly(`/api/citizen/drafts/${path(code)}`, { method: 'PUT', body: { data } });
}

function filesForm(files: File[]) {
  const body = new FormData();
  for (const f of files) body.append('file', f, f.name);
  return body;
}

/** One PDF, or photos made into one PDF on the server; replaces the component's last file. */
export function uploadDraftFile(code: string, key: string, files: File[]) {
  return write(`/api/citizen/drafts/${path(code)}/components/${key}/file`, DraftFile, {
    method: 'POST',
    body: filesForm(files),
  });
}

export function removeDraftFile(code: string, key: string) {
  return writeOnly(`/api/citizen/drafts/${path(code)}/components/${key}/file`, { method: 'DELETE' });
}

export function submitOnline(input: OnlineSubmission, idempotencyKey: string) {
  return write('/api/citizen/dossiers', SubmittedDossier, { method: 'POST', body: input, idempotencyKey });
}

export function listMyDossiers(page: number, pageSize: number) {
  return api(`/api/citizen/dossiers${toQuery({ page, pageSize })}`, CitizenDossierList);
}

export function getMyDossier(id: number) {
  return api(`/api/citizen/dossiers/${id}`, CitizenDossier);
}

/** The signed result, opened by the browser itself (a download, not JSON). */
export function resultUrl(id: number) {
  return `/api/citizen/dossiers/${id}/result.pdf`;
}

export function uploadSupplementFile(id: number, key: string, files: File[]) {
  return write(`/api/citizen/dossiers/${id}/components/${key}/documents`, DraftFile, {
    method: 'POST',
    body: filesForm(files),
  });
}

export function handInSupplement(id: number, note: string | undefined, idempotencyKey: string) {
  return write(`/api/citizen/dossiers/${id}/supplement`, CitizenDossier, {
    method: 'POST',
    body: note ? { note } : {},
    idempotencyKey,
  });
}

export function rateDossier(id: number, input: RatingInput) {
  return write(`/api/citizen/dossiers/${id}/rating`, CitizenDossier, { method: 'POST', body: input });
}

/** A counter's requests to use papers of the citizen's store for one of their dossiers. */
export function listStoreConsentRequests() {
  return api('/api/citizen/store-consents', CitizenConsentRequests);
}

export function answerStoreConsentRequest(id: number, answer: 'approve' | 'decline') {
  return write(`/api/citizen/store-consents/${id}/${answer}`, CitizenConsentAnswer, { method: 'POST' });
}
