import { z } from 'zod';
import { Verdict } from './dossier-state.ts';

/** What a dossier's code alone tells anyone: its procedure and status. */
const PublicStatus = z.object({
  code: z.string(),
  procedure: z.object({ code: z.string(), name: z.string() }),
  statusCode: z.number(),
  statusName: z.string(),
});

/** Without the last 4 ID digits: the status only. */
export const PublicDossierStatus = PublicStatus.extend({
  detailed: z.literal(false).describe('true only when the last 4 ID digits were given and match'),
});
export type PublicDossierStatus = z.infer<typeof PublicDossierStatus>;

/** With the right last 4 ID digits: the masked applicant, the dates and the timeline. */
export const PublicDossierDetails = PublicStatus.extend({
  detailed: z.literal(true),
  applicantName: z.string().describe('initials only'),
  citizenId: z.string().describe('last three digits only'),
  receivingUnitCode: z.string(),
  submittedAt: z.string(),
  receivedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  overdue: z.boolean().describe('being handled and past the promised date'),
  resultReadyAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  timeline: z.array(
    z.object({
      at: z.string(),
      action: z.string().describe('the step in Vietnamese'),
      kind: z.string().describe("the action's key (intake, assign, approve…), for other languages"),
      verdict: Verdict.nullable(),
    }),
  ),
});
export type PublicDossierDetails = z.infer<typeof PublicDossierDetails>;

/** GET /api/public/dossiers/:code: personal data masked, details only with the second fact. */
export const PublicDossier = z.discriminatedUnion('detailed', [PublicDossierStatus, PublicDossierDetails]);
export type PublicDossier = z.infer<typeof PublicDossier>;
