import { formatVnIso, toLocalDate } from '../calendar/vn-time.ts';
import type { WorkCalendar } from '../calendar/work-calendar.ts';
import type { ProcedureDefinition } from '../catalog/procedure.schemas.ts';
import { AppError } from '../errors.ts';
import type { ActorRole, StaffRole } from '../identity/roles.ts';
import {
  ACTION_FROM,
  ACTION_NAMES_VI,
  ACTION_ROLES,
  DOSSIER_ACTIONS,
  type DossierAction,
} from './dossier-actions.ts';
import type { ActionInput } from './dossier-inputs.ts';
import {
  type ControlSlipRow,
  type DossierEvent,
  type DossierState,
  type Party,
  type Verdict,
  withStatus,
} from './dossier-state.ts';
import {
  type Channel,
  CLOCK_RUNNING_STATES,
  type DossierStateName,
  STATE_NAMES_VI,
  TERMINAL_STATES,
} from './dossier-status.ts';

/** Rules the law leaves open (domain.md marks them "check"); kept in one place to correct. */
export const DOSSIER_RULES = {
  /** Supplement requests allowed while the clock runs (Decree 118/2025: once per agency). */
  maxSupplementRequestsWhileProcessing: 1,
  /** Apologies with a new appointment (form 04) allowed per dossier. */
  maxApologies: 1,
  /** Calendar days the applicant gets to supplement when the officer names no date. */
  defaultSupplementDays: 30,
  /** Working days a transferred dossier may stay with the other agency when the procedure names none. */
  defaultTransferDays: 3,
};

export type DecisionContext = {
  now: Date;
  calendar: WorkCalendar;
  procedure: Pick<ProcedureDefinition, 'duration' | 'steps' | 'interAgency'>;
  actor: { id: number; role: ActorRole };
  /** The role of the officer an assignment names, looked up by the caller; checked against the step. */
  assigneeRole?: StaffRole | undefined;
  /**
   * The competent officer (the role of the procedure's last step) has just signed the electronic result:
   * they may mark it ready themselves, which their role may not do otherwise.
   */
  signedResult?: boolean;
};

const iso = (d: Date) => formatVnIso(d);
const at = (s: string) => new Date(s);

/** early / on time / late against a deadline; early means handed over on an earlier day. */
export function judge(when: string, deadline: string | null): Verdict | null {
  if (!deadline) return null;
  const a = Date.parse(when);
  const d = Date.parse(deadline);
  if (a > d) return 'late';
  return toLocalDate(new Date(a)) < toLocalDate(new Date(d)) ? 'early' : 'on_time';
}

function samePeople(a: Party, b: Party) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The holder's own deadline: their step's, else the dossier's. */
function holderDeadline(s: DossierState) {
  return s.stepDueAt ?? s.dueAt;
}

function isAtLastStep(s: DossierState, steps: readonly unknown[]) {
  return s.stepIndex !== null && s.stepIndex === steps.length - 1;
}

/** Step and count rules on top of the state table; null when the action may go ahead. */
function guardFailure(
  s: DossierState,
  action: DossierAction,
  procedure: DecisionContext['procedure'],
): string | null {
  const steps = procedure.steps;
  switch (action) {
    case 'forward':
      return isAtLastStep(s, steps) ? 'đã ở bước cuối, hãy phê duyệt' : null;
    case 'return-step':
      return s.stepIndex === 0 ? 'đang ở bước đầu tiên' : null;
    case 'approve':
      return isAtLastStep(s, steps) ? null : 'chỉ phê duyệt ở bước cuối';
    case 'request-supplement':
      return CLOCK_RUNNING_STATES.has(s.state) &&
        s.supplementRequests >= DOSSIER_RULES.maxSupplementRequestsWhileProcessing
        ? 'đã yêu cầu bổ sung một lần trong quá trình giải quyết'
        : null;
    case 'apologize':
      return s.apologies >= DOSSIER_RULES.maxApologies ? 'đã gửi văn bản xin lỗi một lần' : null;
    default:
      return null;
  }
}

function roleMayAct(
  s: DossierState,
  action: DossierAction,
  role: ActorRole,
  procedure: DecisionContext['procedure'],
  signedResult = false,
) {
  if (action === 'result-ready' && signedResult) return procedure.steps.at(-1)?.role === role;
  const allowed = ACTION_ROLES[action];
  if (allowed === 'step') {
    const step = s.stepIndex === null ? undefined : procedure.steps[s.stepIndex];
    return step?.role === role;
  }
  return allowed.includes(role);
}

/** The actions the state allows; with a role, only those that role may take. */
export function listAllowedActions(
  s: DossierState,
  procedure: DecisionContext['procedure'],
  role?: ActorRole,
): DossierAction[] {
  return DOSSIER_ACTIONS.filter(
    (a) =>
      ACTION_FROM[a].includes(s.state) &&
      guardFailure(s, a, procedure) === null &&
      (role === undefined || roleMayAct(s, a, role, procedure)),
  );
}

/** The details a refused action answers with: the state as it is and what may be done now. */
export function describeForConflict(
  s: DossierState,
  procedure: DecisionContext['procedure'],
  role?: ActorRole,
) {
  const allowed = listAllowedActions(s, procedure, role);
  return {
    params: {
      state: s.state,
      stateName: STATE_NAMES_VI[s.state],
      current: s.version,
      allowed: allowed.map((a) => ACTION_NAMES_VI[a]).join(', '),
    },
    details: { state: s.state, statusCode: s.statusCode, version: s.version, allowedActions: allowed },
  };
}

/** Throws the right refusal unless the action may be taken now by this role. */
export function assertActionAllowed(
  s: DossierState,
  action: DossierAction,
  procedure: DecisionContext['procedure'],
  role: ActorRole,
  signedResult = false,
) {
  const failure = ACTION_FROM[action].includes(s.state) ? guardFailure(s, action, procedure) : 'state';
  if (failure !== null) {
    const { params, details } = describeForConflict(s, procedure, role);
    throw new AppError('ACTION_NOT_ALLOWED', { ...params, action: ACTION_NAMES_VI[action] }, undefined, {
      ...details,
      reason: failure === 'state' ? null : failure,
    });
  }
  if (!roleMayAct(s, action, role, procedure, signedResult)) {
    throw new AppError('ROLE_NOT_ALLOWED', { action: ACTION_NAMES_VI[action] }, undefined, {
      state: s.state,
      allowedRoles: ACTION_ROLES[action],
    });
  }
}

function stepTarget(procedure: DecisionContext['procedure'], index: number) {
  const step = procedure.steps[index];
  if (!step) throw new Error(`procedure has no step ${index}`);
  return step;
}

function checkAssigneeRole(expected: StaffRole, given: StaffRole | undefined) {
  if (given !== undefined && given !== expected) {
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      { 'body.assigneeId': `Người nhận phải có vai trò ${expected}` },
    );
  }
}

/** The intake event: counter and postal dossiers are received at once; online ones wait for reception. */
export function decideIntake(
  ctx: DecisionContext,
  input: { channel: Channel; details: Record<string, unknown> },
): DossierEvent {
  const base = { type: 'intake' as const, at: iso(ctx.now), actor: ctx.actor };
  if (input.channel === 'online') {
    return { ...base, data: { ...input.details, channel: input.channel, clock: null } };
  }
  return { ...base, data: { ...input.details, channel: input.channel, clock: startClock(ctx) } };
}

function startClock(ctx: DecisionContext) {
  const due = iso(ctx.calendar.computeDue(ctx.now, ctx.procedure.duration));
  return { clockStartAt: iso(ctx.calendar.nextWorkingMoment(ctx.now)), statutoryDueAt: due, dueAt: due };
}

/** Decides an action: validates it against the state and computes what it changes (due dates). */
export function decideAction(
  s: DossierState,
  action: DossierAction,
  input: ActionInput,
  ctx: DecisionContext,
): DossierEvent {
  assertActionAllowed(s, action, ctx.procedure, ctx.actor.role, ctx.signedResult);
  const now = ctx.now;
  const cal = ctx.calendar;
  const base = { type: action, at: iso(now), actor: ctx.actor };
  const data: Record<string, unknown> = { ...input };
  switch (action) {
    case 'receive':
      Object.assign(data, { clock: startClock(ctx) });
      break;
    case 'request-supplement': {
      const given = (input as { applicantDeadline?: string }).applicantDeadline;
      const deadline = given ?? toLocalDate(cal.addCalendarDays(now, DOSSIER_RULES.defaultSupplementDays));
      if (deadline < toLocalDate(now)) {
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          { 'body.applicantDeadline': 'Hạn bổ sung phải từ hôm nay trở đi' },
        );
      }
      data.applicantDeadline = deadline;
      data.clockWasRunning = CLOCK_RUNNING_STATES.has(s.state);
      break;
    }
    case 'supplement-received':
    case 'payment-received': {
      const pause = s.pause;
      if (!pause) throw new Error('paused state without a pause');
      if (pause.applicantDeadline && toLocalDate(now) > pause.applicantDeadline) {
        throw new AppError('SUPPLEMENT_DEADLINE_PASSED', { deadline: pause.applicantDeadline });
      }
      if (pause.clockWasRunning) {
        const span = { start: at(pause.start), end: now };
        const extend = (d: string | null) => (d ? iso(cal.extendForPause(at(d), span)) : null);
        Object.assign(data, {
          pausedHours: cal.workingHoursBetween(span.start, span.end),
          statutoryDueAt: extend(s.statutoryDueAt),
          dueAt: extend(s.dueAt),
          stepDueAt: extend(s.stepDueAt),
        });
      }
      break;
    }
    case 'assign': {
      const index = s.state === 'received' ? 0 : (s.stepIndex ?? 0);
      const step = stepTarget(ctx.procedure, index);
      checkAssigneeRole(step.role, ctx.assigneeRole);
      const fresh = s.state === 'received';
      Object.assign(data, {
        stepIndex: index,
        stepKey: step.key,
        role: step.role,
        stepStartedAt: fresh ? iso(now) : s.stepStartedAt,
        stepDueAt: fresh ? iso(cal.addWorkingHours(now, step.budgetHours)) : s.stepDueAt,
      });
      break;
    }
    case 'forward':
    case 'return-step': {
      const index = (s.stepIndex ?? 0) + (action === 'forward' ? 1 : -1);
      const step = stepTarget(ctx.procedure, index);
      checkAssigneeRole(step.role, ctx.assigneeRole);
      Object.assign(data, {
        stepIndex: index,
        stepKey: step.key,
        role: step.role,
        stepStartedAt: iso(now),
        stepDueAt: iso(cal.addWorkingHours(now, step.budgetHours)),
      });
      break;
    }
    case 'transfer': {
      const given = (input as { subDeadlineDays?: number }).subDeadlineDays;
      const days = given ?? ctx.procedure.interAgency?.budgetDays ?? DOSSIER_RULES.defaultTransferDays;
      data.subDueAt = iso(cal.addWorkingDays(now, days));
      break;
    }
    case 'apologize': {
      const newDue = at((input as { newDueAt: string }).newDueAt);
      if (!s.dueAt || newDue.getTime() <= Date.parse(s.dueAt) || newDue.getTime() <= now.getTime()) {
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          {
            'body.newDueAt': 'Ngày hẹn mới phải sau ngày hẹn hiện tại và sau thời điểm hiện tại',
          },
        );
      }
      data.newDueAt = iso(newDue);
      data.beforeDue = now.getTime() <= Date.parse(s.dueAt);
      break;
    }
    case 'result-ready': {
      const start = s.clockStartAt ? at(s.clockStartAt) : now;
      const paused = s.pauses.reduce((sum, p) => sum + cal.workingHoursBetween(at(p.start), at(p.end)), 0);
      const hours = now > start ? cal.workingHoursBetween(start, now) - paused : 0;
      data.processingHours = Math.max(0, Math.round(hours * 100) / 100);
      break;
    }
    default:
      break;
  }
  return { ...base, data };
}

function slipRow(
  s: DossierState,
  e: DossierEvent,
  to: Party,
  deadline: string | null,
  note?: unknown,
): ControlSlipRow {
  return {
    seq: s.controlSlip.length + 1,
    at: e.at,
    from: s.holder,
    to,
    by: e.actor.id,
    action: e.type,
    stepKey: s.stepKey,
    deadline,
    verdict: judge(e.at, deadline),
    note: typeof note === 'string' ? note : null,
  };
}

function handOver(
  s: DossierState,
  e: DossierEvent,
  to: Party,
  deadline: string | null,
  note?: unknown,
): DossierState {
  return { ...s, holder: to, controlSlip: [...s.controlSlip, slipRow(s, e, to, deadline, note)] };
}

type Clock = { clockStartAt: string; statutoryDueAt: string; dueAt: string };

/** What decideIntake/decideAction put in events, read back by the fold (each event has its own subset). */
type EventData = {
  channel: Channel;
  clock: Clock | null;
  reasons: string[];
  reason: string;
  note?: string;
  clockWasRunning: boolean;
  applicantDeadline: string;
  statutoryDueAt: string | null;
  dueAt: string | null;
  stepDueAt: string | null;
  role: StaffRole;
  assigneeId?: number;
  stepIndex: number;
  stepKey: string;
  stepStartedAt: string;
  agency: string;
  subDueAt: string;
  newDueAt: string;
  recipientName: string;
  processingHours?: number;
};

function staff(role: ActorRole, accountId: number | null): Party {
  // Citizens never receive, assign or sign: only officers' events name a receiving officer.
  if (role === 'citizen') throw new Error('a citizen does not hold a dossier for the centre');
  return { kind: 'staff', role, accountId };
}

/** The officer who asked the applicant for the supplement: the dossier goes back to them. */
function requesterOf(s: DossierState): Party {
  const asked = s.controlSlip.findLast((r) => r.action === 'request-supplement' && r.to.kind === 'applicant');
  return asked?.from ?? { kind: 'staff', role: 'reception_officer', accountId: null };
}

const APPLICANT: Party = { kind: 'applicant' };

/** Applies one event; the decision already checked it, so this only folds. */
export function applyDossierEvent(prev: DossierState | null, e: DossierEvent): DossierState {
  const d = e.data as EventData;
  if (e.type === 'intake') {
    if (prev) throw new Error('intake must be the first event');
    const clock = d.clock;
    const initial: DossierState = withStatus({
      state: clock ? 'received' : 'submitted',
      version: 1,
      channel: d.channel,
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
    });
    return clock ? handOver(initial, e, staff(e.actor.role, e.actor.id), null) : initial;
  }
  if (!prev) throw new Error('the first event must be the intake');
  const s = { ...prev, version: prev.version + 1 };
  const next = (patch: Partial<DossierState>) => withStatus({ ...s, ...patch });
  switch (e.type) {
    case 'receive': {
      const clock = d.clock as Clock;
      const received = next({ state: 'received', receivedAt: e.at, ...clock });
      return handOver(received, e, staff(e.actor.role, e.actor.id), null);
    }
    case 'refuse':
    case 'withdraw':
    case 'stop': {
      const state: DossierStateName =
        e.type === 'refuse' ? 'refused' : e.type === 'withdraw' ? 'withdrawn' : 'stopped';
      const reason = e.type === 'refuse' ? d.reasons.join('; ') : d.reason;
      // Already with the applicant (never received, or waiting for a supplement): nothing changes hands.
      const closed = s.holder.kind === 'applicant' ? s : handOver(s, e, APPLICANT, holderDeadline(s), reason);
      return withStatus({ ...closed, state, closedAt: e.at, pause: null });
    }
    case 'request-supplement': {
      const running = Boolean(d.clockWasRunning);
      const paused = next({
        state: 'awaiting_supplement',
        pause: {
          start: e.at,
          reason: 'supplement',
          resumeTo: s.state,
          clockWasRunning: running,
          applicantDeadline: d.applicantDeadline,
        },
        supplementRequests: s.supplementRequests + (running ? 1 : 0),
      });
      // A dossier that was never received stays with the applicant: no hand-over to record.
      if (s.holder.kind === 'applicant') return paused;
      return handOver(paused, e, APPLICANT, holderDeadline(s), d.reasons.join('; '));
    }
    case 'request-payment':
      return next({
        state: 'awaiting_payment',
        pause: {
          start: e.at,
          reason: 'payment',
          resumeTo: s.state,
          clockWasRunning: true,
          applicantDeadline: null,
        },
      });
    case 'supplement-received':
    case 'payment-received': {
      const pause = s.pause as NonNullable<DossierState['pause']>;
      const patch: Partial<DossierState> = { state: pause.resumeTo, pause: null };
      if (pause.clockWasRunning) {
        Object.assign(patch, {
          pauses: [...s.pauses, { start: pause.start, end: e.at, reason: pause.reason }],
          statutoryDueAt: d.statutoryDueAt,
          dueAt: d.dueAt,
          stepDueAt: d.stepDueAt,
        });
      }
      const resumed = next(patch);
      if (s.holder.kind !== 'applicant' || pause.resumeTo === 'submitted') return resumed;
      const to = e.actor.role === 'citizen' ? requesterOf(s) : staff(e.actor.role, e.actor.id);
      return handOver(resumed, e, to, null);
    }
    case 'assign':
    case 'forward':
    case 'return-step': {
      const to = staff(d.role, d.assigneeId ?? null);
      const moved = handOver(s, e, to, holderDeadline(s), d.reason ?? d.note);
      return withStatus({
        ...moved,
        state: 'in_progress',
        stepIndex: d.stepIndex,
        stepKey: d.stepKey,
        stepStartedAt: d.stepStartedAt,
        stepDueAt: d.stepDueAt,
      });
    }
    case 'transfer': {
      const moved = handOver(s, e, { kind: 'agency', name: d.agency }, holderDeadline(s), d.note);
      return withStatus({
        ...moved,
        state: 'transferred',
        transfer: { agency: d.agency, at: e.at, subDueAt: d.subDueAt },
      });
    }
    case 'receive-back': {
      const deadline = s.transfer?.subDueAt ?? null;
      const back = handOver(s, e, staff(e.actor.role, e.actor.id), deadline, d.note);
      return withStatus({ ...back, state: 'in_progress', transfer: null });
    }
    case 'approve':
      return next({ state: 'approved', approvedAt: e.at });
    case 'result-ready': {
      const ready = handOver(s, e, staff(e.actor.role, e.actor.id), holderDeadline(s), d.note);
      return withStatus({
        ...ready,
        state: 'result_ready',
        resultReadyAt: e.at,
        processingHours: d.processingHours ?? null,
        stepIndex: null,
        stepKey: null,
        stepDueAt: null,
      });
    }
    case 'return-result': {
      const done = handOver(s, e, APPLICANT, s.dueAt, d.recipientName);
      return withStatus({ ...done, state: 'returned', returnedAt: e.at, closedAt: e.at });
    }
    case 'apologize':
      return next({ dueAt: d.newDueAt, apologies: s.apologies + 1 });
    default:
      throw new Error(`unknown event ${e.type}`);
  }
}

/** The current state of a dossier from its events (OpenCRVS's getCurrentEventState). */
export function getDossierState(events: readonly DossierEvent[]): DossierState {
  let state: DossierState | null = null;
  for (const e of events) state = applyDossierEvent(state, e);
  if (!state) throw new Error('a dossier has at least its intake event');
  return state;
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
