import { z } from 'zod';
import { Paged } from '../paging.ts';
import { DIGITIZATIONS, DOCUMENT_DIGITIZATIONS } from './digitization.ts';

/** Who did it: the officer's id and name (null when the account is gone). */
const By = z.object({ id: z.number(), name: z.string().nullable() });

/** A document of a dossier or of a citizen's store, as staff see it (never its bytes). */
export const DocumentView = z.object({
  id: z.number(),
  name: z.string(),
  componentKey: z.string().nullable(),
  dossierId: z.number().nullable(),
  digitization: z.enum(DOCUMENT_DIGITIZATIONS),
  /** The store document this one was taken from. */
  reusedFrom: z.number().nullable(),
  isResult: z.boolean(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  pages: z.number().nullable(),
  sha256: z.string(),
  createdBy: By.nullable(),
  createdAt: z.string(),
});
export type DocumentView = z.infer<typeof DocumentView>;

/** GET /api/dossiers/:id/documents: each component with how it was digitized, and the signed results. */
export const DossierDocuments = z.object({
  dossierId: z.number(),
  code: z.string(),
  components: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      requirement: z.string(),
      digitization: z.enum(DIGITIZATIONS),
      digitizedBy: By.nullable(),
      documents: z.array(DocumentView),
    }),
  ),
  results: z.array(DocumentView),
});
export type DossierDocuments = z.infer<typeof DossierDocuments>;

/** GET /api/dossiers/:id/applicant-store: a page of the applicant's personal store. */
export const StorePage = Paged(DocumentView);
export type StorePage = z.infer<typeof StorePage>;

const ConsentChannel = z.enum(['sms', 'portal']);

/** A request for the applicant's consent to use their store for one dossier, waiting for the answer. */
export const ConsentPending = z.object({
  id: z.number(),
  channel: ConsentChannel,
  sentTo: z.string().nullable(),
  requestedAt: z.string(),
  answerBy: z.string(),
});
export type ConsentPending = z.infer<typeof ConsentPending>;

/** The consent in force. */
export const ConsentGrant = z.object({
  id: z.number(),
  channel: ConsentChannel,
  grantedAt: z.string(),
  expiresAt: z.string(),
});
export type ConsentGrant = z.infer<typeof ConsentGrant>;

/** GET /api/dossiers/:id/store-consent. */
export const ConsentStatus = z.object({ grant: ConsentGrant.nullable(), pending: ConsentPending.nullable() });
export type ConsentStatus = z.infer<typeof ConsentStatus>;

/** POST /api/dossiers/:id/store-consent (`demoCode` only from the demo's development sender). */
export const ConsentRequested = z.object({ pending: ConsentPending, demoCode: z.string().nullable() });
export type ConsentRequested = z.infer<typeof ConsentRequested>;
/** POST /api/dossiers/:id/store-consent/confirm. */
export const ConsentConfirmed = z.object({ grant: ConsentGrant });
export type ConsentConfirmed = z.infer<typeof ConsentConfirmed>;

/** GET /api/citizen/store-consents: the counters' requests waiting for the citizen's answer. */
export const CitizenConsentRequests = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      dossierId: z.number(),
      dossierCode: z.string(),
      unitName: z.string(),
      requestedAt: z.string(),
      answerBy: z.string(),
    }),
  ),
});
export type CitizenConsentRequests = z.infer<typeof CitizenConsentRequests>;
export type CitizenConsentRequest = CitizenConsentRequests['items'][number];

/** POST /api/citizen/store-consents/:requestId/:answer. */
export const CitizenConsentAnswer = z.object({
  status: z.enum(['granted', 'declined']),
  expiresAt: z.string().nullable(),
});
export type CitizenConsentAnswer = z.infer<typeof CitizenConsentAnswer>;

/** POST /api/dossiers/:id/result/sign: the signed result and the dossier's new status. */
export const SignedResult = z.object({
  documentId: z.number(),
  dossierId: z.number(),
  code: z.string(),
  number: z.string().describe('the number in the unit book, as printed on the result'),
  sha256: z.string(),
  sizeBytes: z.number(),
  status: z.string(),
  statusCode: z.number(),
  version: z.number(),
});
export type SignedResult = z.infer<typeof SignedResult>;
