import { formatVnIso } from '../calendar/vn-time.ts';
import type { ActorRole } from '../identity/roles.ts';
import { type CaseEvent, defineCaseType } from '../kernel/case-type.ts';
import {
  type ActionInput,
  APPLICANT,
  type Clock,
  type DecisionContext,
  DOSSIER_ACTION_DEFS,
  type DossierAction,
  type DossierActionDefs,
  type DossierRules,
  handOver,
  staffParty,
  startClock,
} from './dossier-actions.ts';
import {
  type ControlSlipRow,
  type DossierState,
  DossierStateSchema,
  type FormNo,
  type Party,
  withStatus,
} from './dossier-state.ts';
import { type Channel, CLOCK_RUNNING_STATES, STATE_NAMES_VI, TERMINAL_STATES } from './dossier-status.ts';

export { type DecisionContext, DOSSIER_RULES, judge } from './dossier-actions.ts';

/** What an intake records: how it came in, the legal clock when it starts at once, and what was taken in. */
export type IntakeData = Record<string, unknown> & { channel: Channel; clock: Clock | null };

type IntakeInput = { channel: Channel; details: Record<string, unknown> };

/**
 * The dossier case type. Version 2 of the snapshot added `forms`; a stored snapshot of version 1 (or none)
 * is rebuilt from the events when read.
 */
export const DOSSIER_CASE = defineCaseType<
  DossierState,
  DossierRules,
  DecisionContext,
  ActorRole,
  FormNo,
  DossierActionDefs,
  IntakeInput,
  IntakeData,
  'intake'
>({
  kind: 'dossier',
  snapshotVersion: 2,
  createType: 'intake',
  stateNames: STATE_NAMES_VI,
  stateSchema: DossierStateSchema as unknown as import('zod').ZodType<DossierState>,
  actions: DOSSIER_ACTION_DEFS,
  roleOf: (ctx: DecisionContext) => ctx.actor.role,
  actorOf: (ctx: DecisionContext) => ctx.actor,
  nowOf: (ctx: DecisionContext) => formatVnIso(ctx.now),
  finish: (s: DossierState) => withStatus(s),
  create: {
    // Counter and postal dossiers are received at once; online ones wait for reception.
    decide: (input: IntakeInput, ctx: DecisionContext): IntakeData => ({
      ...input.details,
      channel: input.channel,
      clock: input.channel === 'online' ? null : startClock(ctx),
    }),
    fold: (e: CaseEvent<'intake', IntakeData, ActorRole>): DossierState => {
      const clock = e.data.clock;
      const initial: DossierState = withStatus({
        state: clock ? 'received' : 'submitted',
        version: 1,
        channel: e.data.channel,
        submittedAt: e.at,
        receivedAt: clock ? e.at : null,
        clockStartAt: clock?.clockStartAt ?? null,
        statutoryDueAt: clock?.statutoryDueAt ?? null,
        dueAt: clock?.dueAt ?? null,
        stepIndex: null,
        stepKey: null,
        stepStartedAt: null,
        stepDueAt: null,
        holder: APPLICANT,
        pause: null,
        pauses: [],
        supplementRequests: 0,
        apologies: 0,
        transfer: null,
        approvedAt: null,
        resultReadyAt: null,
        returnedAt: null,
        closedAt: null,
        controlSlip: [],
        // The receipt (form 01) is the counter's as soon as the dossier is received.
        forms: clock ? ['01'] : [],
      });
      return clock ? handOver(initial, e, staffParty(e.actor.role, e.actor.id), null) : initial;
    },
  },
});

/** The typed union of a dossier's events: the intake, or one action's event with that action's data. */
export type DossierActionEvent = typeof DOSSIER_CASE.$actionEvent;
export type IntakeEvent = CaseEvent<'intake', IntakeData, ActorRole>;
export type DossierEvent = typeof DOSSIER_CASE.$event;

/** The intake event: counter and postal dossiers are received at once; online ones wait for reception. */
export function decideIntake(ctx: DecisionContext, input: IntakeInput): IntakeEvent {
  return DOSSIER_CASE.decideCreate(input, ctx);
}

/** Decides an action: validates it against the state and computes what it changes (due dates). */
export function decideAction<A extends DossierAction>(
  s: DossierState,
  action: A,
  input: ActionInput<A>,
  ctx: DecisionContext,
): DossierActionEvent {
  return DOSSIER_CASE.decide(s, action, input as never, ctx);
}

/** Applies one event; the decision already checked it, so this only folds. */
export function applyDossierEvent(prev: DossierState | null, e: DossierEvent): DossierState {
  return DOSSIER_CASE.apply(prev, e);
}

/** The current state of a dossier from its events (OpenCRVS's getCurrentEventState). */
export function getDossierState(events: readonly DossierEvent[]): DossierState {
  return DOSSIER_CASE.fold(events);
}

/** The actions the state allows; with a role, only those that role may take. */
export function listAllowedActions(
  s: DossierState,
  procedure: DossierRules['procedure'],
  role?: ActorRole,
): DossierAction[] {
  return DOSSIER_CASE.allowed(s, { procedure }, role);
}

/** The details a refused action answers with: the state as it is and what may be done now. */
export function describeForConflict(s: DossierState, procedure: DossierRules['procedure'], role?: ActorRole) {
  return DOSSIER_CASE.describeForConflict(s, { procedure }, role);
}

function samePeople(a: Party, b: Party) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The control slip holds together: consecutive numbers, each sender the previous receiver, time forward. */
export function isControlSlipUnbroken(rows: readonly ControlSlipRow[]): boolean {
  return rows.every((row, i) => {
    if (row.seq !== i + 1) return false;
    const prev = rows[i - 1];
    if (!prev) return samePeople(row.from, APPLICANT);
    return samePeople(row.from, prev.to) && Date.parse(row.at) >= Date.parse(prev.at);
  });
}

/** Being handled with the clock running, and past the promised date (a paused dossier is not overdue). */
export function isOverdue(s: DossierState, now: Date) {
  return CLOCK_RUNNING_STATES.has(s.state) && s.dueAt !== null && Date.parse(s.dueAt) < now.getTime();
}

export function isTerminal(s: DossierState) {
  return TERMINAL_STATES.has(s.state);
}

/** The forms a dossier has grounds for: those its events made available, and 06 and 07 always. */
export function formsOf(s: DossierState): FormNo[] {
  return [...new Set<FormNo>([...s.forms, '06', '07'])].sort();
}
