import type { ActorRole, StaffRole } from '../identity/roles.ts';
import type { DossierAction } from './dossier-actions.ts';
import { type Channel, type DossierStateName, NATIONAL_STATUS } from './dossier-status.ts';

/** Who holds the dossier: an officer (or the pool of a role when no one is named), another agency, the applicant. */
export type Party =
  | { kind: 'staff'; role: StaffRole; accountId: number | null }
  | { kind: 'agency'; name: string }
  | { kind: 'applicant' };

export type Verdict = 'early' | 'on_time' | 'late';

/** One hand-over: a row of form 06 (phiếu kiểm soát quá trình giải quyết hồ sơ). */
export type ControlSlipRow = {
  seq: number;
  at: string;
  from: Party;
  to: Party;
  /** The officer who recorded the hand-over. */
  by: number;
  action: 'intake' | DossierAction;
  stepKey: string | null;
  /** The sender's deadline, against which the verdict is given. */
  deadline: string | null;
  verdict: Verdict | null;
  note: string | null;
};

export type Pause = { start: string; end: string; reason: 'supplement' | 'payment' };

export type { ActorRole };

export type DossierEvent = {
  type: 'intake' | DossierAction;
  /** ISO instant (Vietnam time) of the fact. */
  at: string;
  actor: { id: number; role: ActorRole };
  /** The action's input and everything the decision computed (due dates); see dossier-machine.ts. */
  data: Record<string, unknown>;
};

export type DossierState = {
  state: DossierStateName;
  statusCode: number;
  /** The number of events: the optimistic-concurrency version. */
  version: number;
  channel: Channel;
  submittedAt: string;
  receivedAt: string | null;
  clockStartAt: string | null;
  statutoryDueAt: string | null;
  /** The promised date: the statutory one, moved by pauses and at most once by an apology. */
  dueAt: string | null;
  stepIndex: number | null;
  stepKey: string | null;
  stepStartedAt: string | null;
  stepDueAt: string | null;
  holder: Party;
  pause: {
    start: string;
    reason: 'supplement' | 'payment';
    resumeTo: DossierStateName;
    clockWasRunning: boolean;
    applicantDeadline: string | null;
  } | null;
  pauses: Pause[];
  supplementRequests: number;
  apologies: number;
  transfer: { agency: string; at: string; subDueAt: string } | null;
  approvedAt: string | null;
  resultReadyAt: string | null;
  /**
   * Working hours from the clock's start to the result, less the pauses for the applicant: the
   * processing time the indicators report (absent on dossiers resolved before it was kept).
   */
  processingHours?: number | null;
  returnedAt: string | null;
  closedAt: string | null;
  controlSlip: ControlSlipRow[];
};

export function withStatus(state: Omit<DossierState, 'statusCode'> & { statusCode?: number }): DossierState {
  return { ...state, statusCode: NATIONAL_STATUS[state.state] };
}
