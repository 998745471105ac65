import { z } from 'zod';
import { IntakeAnswer } from './dossier-views.schemas.ts';

/** GET /api/citizen/procedures/:code/eligibility: the citizen may file it online (403 says why not). */
export const Eligibility = z.object({ eligible: z.literal(true) });
export type Eligibility = z.infer<typeof Eligibility>;

/** A paper the citizen uploaded (to a draft, or for a supplement): stored, checked by its bytes. */
export const DraftFile = z.object({
  sha256: z.string(),
  name: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  pages: z.number().nullable(),
});
export type DraftFile = z.infer<typeof DraftFile>;

/** An unfinished online submission, as the citizen's list shows it. */
export const DraftSummary = z.object({
  procedureCode: z.string(),
  procedureName: z.string().nullable(),
  updatedAt: z.string(),
});
export type DraftSummary = z.infer<typeof DraftSummary>;

/** GET /api/citizen/drafts. */
export const DraftList = z.object({ items: z.array(DraftSummary) });
export type DraftList = z.infer<typeof DraftList>;

/** GET /api/citizen/drafts/:code: the fields typed (the form's own shape) and the paper per component. */
export const Draft = z.object({
  procedureCode: z.string(),
  data: z.record(z.string(), z.unknown()),
  files: z.record(z.string(), DraftFile),
  updatedAt: z.string().nullable(),
});
export type Draft = z.infer<typeof Draft>;

/** POST /api/citizen/dossiers: the dossier an online submission made, as the counter's intake answers. */
export const SubmittedDossier = IntakeAnswer;
export type SubmittedDossier = IntakeAnswer;
