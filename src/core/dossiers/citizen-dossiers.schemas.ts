import { z } from 'zod';
import { ProcedureComponent } from '../catalog/procedure.schemas.ts';
import { SATISFACTION } from '../identity/citizen.ts';
import { Paged } from '../paging.ts';
import { Verdict } from './dossier-state.ts';
import { CHANNELS } from './dossier-status.ts';

/** One of the citizen's dossiers in their list (whatever the channel it came in by). */
export const CitizenDossierItem = z.object({
  id: z.number(),
  code: z.string(),
  channel: z.enum(CHANNELS),
  procedureCode: z.string(),
  procedureName: z.string(),
  statusCode: z.number(),
  submittedAt: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  needsSupplement: z.boolean(),
  hasResult: z.boolean(),
  rated: z.boolean(),
});
export type CitizenDossierItem = z.infer<typeof CitizenDossierItem>;

/** GET /api/citizen/dossiers: newest first. */
export const CitizenDossierList = Paged(CitizenDossierItem);
export type CitizenDossierList = z.infer<typeof CitizenDossierList>;

/** What the officer's supplement request asks for, while the dossier awaits it. */
export const SupplementRequest = z.object({
  requestedAt: z.string(),
  reasons: z.array(z.string()),
  /** The keys of the components to hand in again. */
  missingComponents: z.array(z.string()),
  applicantDeadline: z.string().nullable(),
});
export type SupplementRequest = z.infer<typeof SupplementRequest>;

/** A step of the dossier as its applicant sees it: what happened and when, no officers' names. */
export const CitizenTimelineEntry = z.object({
  at: z.string(),
  /** 'intake' or the action's key (kept as recorded: an old dossier may name a step since renamed). */
  kind: z.string(),
  verdict: Verdict.nullable(),
});
export type CitizenTimelineEntry = z.infer<typeof CitizenTimelineEntry>;

/**
 * GET /api/citizen/dossiers/:id, and the answer of a supplement handed in or a rating: status, timeline,
 * what a supplement asks for, result and rating.
 */
export const CitizenDossier = z.object({
  id: z.number(),
  code: z.string(),
  channel: z.enum(CHANNELS),
  procedure: z.object({ code: z.string(), name: z.string() }),
  statusCode: z.number(),
  submittedAt: z.string(),
  receivedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  resultReadyAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  timeline: z.array(CitizenTimelineEntry),
  components: z.array(
    z.object({ key: z.string(), name: z.string(), requirement: ProcedureComponent.shape.requirement }),
  ),
  supplement: SupplementRequest.nullable(),
  hasResult: z.boolean(),
  rating: z
    .object({ rating: z.enum(SATISFACTION), comment: z.string().nullable(), at: z.string() })
    .nullable(),
  canRate: z.boolean(),
  version: z.number(),
});
export type CitizenDossier = z.infer<typeof CitizenDossier>;
