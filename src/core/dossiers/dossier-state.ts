import { z } from 'zod';
import { type ActorRole, StaffRole } from '../identity/roles.ts';
import { CHANNELS, DOSSIER_STATES, NATIONAL_STATUS } from './dossier-status.ts';

/**
 * The dossier's state as folded from its events, and as its stored snapshot is validated when read: the
 * types below are inferred from these schemas, so the two cannot drift apart.
 */

/** Who holds the dossier: an officer (or the pool of a role when no one is named), another agency, the applicant. */
export const Party = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('staff'), role: StaffRole, accountId: z.number().int().nullable() }),
  z.object({ kind: z.literal('agency'), name: z.string() }),
  z.object({ kind: z.literal('applicant') }),
]);
export type Party = z.infer<typeof Party>;

export const Verdict = z.enum(['early', 'on_time', 'late']);
export type Verdict = z.infer<typeof Verdict>;

/** The printed forms of Circular 03/2025 a dossier may have grounds for (06 and 07 always). */
export const FORM_NUMBERS = ['01', '02', '03', '04', '05', '06', '07'] as const;
export type FormNo = (typeof FORM_NUMBERS)[number];

/** One hand-over: a row of form 06 (phiếu kiểm soát quá trình giải quyết hồ sơ). */
export const ControlSlipRow = z.object({
  seq: z.number().int(),
  at: z.string(),
  from: Party,
  to: Party,
  /** The officer who recorded the hand-over. */
  by: z.number().int(),
  /** 'intake' or an action's name (checked against the actions where it is shown). */
  action: z.string(),
  stepKey: z.string().nullable(),
  /** The sender's deadline, against which the verdict is given. */
  deadline: z.string().nullable(),
  verdict: Verdict.nullable(),
  note: z.string().nullable(),
});
export type ControlSlipRow = Omit<z.infer<typeof ControlSlipRow>, 'action'> & {
  action: 'intake' | import('./dossier-actions.ts').DossierAction;
};

const PauseReason = z.enum(['supplement', 'payment']);
export const Pause = z.object({ start: z.string(), end: z.string(), reason: PauseReason });
export type Pause = z.infer<typeof Pause>;

const StateName = z.enum(DOSSIER_STATES);

export const DossierStateSchema = z.object({
  state: StateName,
  statusCode: z.number().int().min(1).max(10),
  /** The number of events: the optimistic-concurrency version. */
  version: z.number().int().positive(),
  channel: z.enum(CHANNELS),
  submittedAt: z.string(),
  receivedAt: z.string().nullable(),
  clockStartAt: z.string().nullable(),
  statutoryDueAt: z.string().nullable(),
  /** The promised date: the statutory one, moved by pauses and at most once by an apology. */
  dueAt: z.string().nullable(),
  stepIndex: z.number().int().nullable(),
  stepKey: z.string().nullable(),
  stepStartedAt: z.string().nullable(),
  stepDueAt: z.string().nullable(),
  holder: Party,
  pause: z
    .object({
      start: z.string(),
      reason: PauseReason,
      resumeTo: StateName,
      clockWasRunning: z.boolean(),
      applicantDeadline: z.string().nullable(),
    })
    .nullable(),
  pauses: z.array(Pause),
  supplementRequests: z.number().int(),
  apologies: z.number().int(),
  transfer: z.object({ agency: z.string(), at: z.string(), subDueAt: z.string() }).nullable(),
  approvedAt: z.string().nullable(),
  resultReadyAt: z.string().nullable(),
  /**
   * Working hours from the clock's start to the result, less the pauses for the applicant: the
   * processing time the indicators report (absent on dossiers resolved before it was kept).
   */
  processingHours: z.number().nullable().optional(),
  returnedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  controlSlip: z.array(ControlSlipRow),
  /** The forms of Circular 03/2025 (01–05) the dossier's events give grounds for, from the actions' definitions. */
  forms: z.array(z.enum(FORM_NUMBERS)),
});
export type DossierState = Omit<z.infer<typeof DossierStateSchema>, 'controlSlip'> & {
  controlSlip: ControlSlipRow[];
};

export type { ActorRole };

export function withStatus(state: Omit<DossierState, 'statusCode'> & { statusCode?: number }): DossierState {
  return { ...state, statusCode: NATIONAL_STATUS[state.state] };
}

export type { DossierEvent } from './dossier-machine.ts';
