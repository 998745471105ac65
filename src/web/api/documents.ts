import {
  ConsentConfirmed,
  ConsentRequested,
  ConsentStatus,
  DocumentView,
  SignedResult,
  StorePage,
} from '../../core/documents/documents.schemas.ts';
import { api, toQuery } from './client.ts';

export type { ConsentStatus, DocumentView };

function filesForm(files: File[]) {
  const body = new FormData();
  for (const f of files) body.append('file', f, f.name);
  return body;
}

/** Digitizes a component: one PDF, or scanned pages the server makes into one PDF. */
export const uploadComponentFiles = (dossierId: number, key: string, files: File[]) =>
  api(`/api/dossiers/${dossierId}/components/${key}/documents`, DocumentView, {
    method: 'POST',
    body: filesForm(files),
  });

/** Uses a paper of the applicant's store for the component (their consent is in force). */
export const reuseStoreDocument = (dossierId: number, key: string, documentId: number) =>
  api(`/api/dossiers/${dossierId}/components/${key}/reuse`, DocumentView, {
    method: 'POST',
    body: { documentId },
  });

/** The applicant's personal store, newest first (403 STORE_CONSENT_REQUIRED without their consent). */
export const listApplicantStore = (dossierId: number, pageSize: number) =>
  api(`/api/dossiers/${dossierId}/applicant-store${toQuery({ pageSize })}`, StorePage);

/** Where the applicant's consent for this dossier stands. */
export const getStoreConsent = (dossierId: number) =>
  api(`/api/dossiers/${dossierId}/store-consent`, ConsentStatus);

/** Asks the consent: a code by SMS, or a request in the citizen's portal. */
export const askStoreConsent = (dossierId: number, channel: 'sms' | 'portal') =>
  api(`/api/dossiers/${dossierId}/store-consent`, ConsentRequested, { method: 'POST', body: { channel } });

/** The code the citizen read out. */
export const confirmStoreConsent = (dossierId: number, code: string) =>
  api(`/api/dossiers/${dossierId}/store-consent/confirm`, ConsentConfirmed, {
    method: 'POST',
    body: { code },
  });

/** Signs the result with the officer's PIN and the unit's seal; the same key on a retry never signs twice. */
export const signResult = (
  dossierId: number,
  body: { pin: string; details: Record<string, unknown>; version: number },
  idempotencyKey: string,
) => api(`/api/dossiers/${dossierId}/result/sign`, SignedResult, { method: 'POST', body, idempotencyKey });
