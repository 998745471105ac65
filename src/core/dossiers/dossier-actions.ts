import { z } from 'zod';
import { LocalDate } from '../calendar/schemas.ts';
import { formatVnIso, toLocalDate } from '../calendar/vn-time.ts';
import type { WorkCalendar } from '../calendar/work-calendar.ts';
import type { ProcedureDefinition } from '../catalog/procedure.schemas.ts';
import { AppError } from '../errors.ts';
import type { ActorRole, StaffRole } from '../identity/roles.ts';
import { actionBuilder, type CaseEvent, type RoleRule, tableOf } from '../kernel/case-type.ts';
import { assignee, Instant, note, reason, reasons } from './dossier-fields.ts';
import type { ControlSlipRow, DossierState, FormNo, Party, Verdict } from './dossier-state.ts';
import { CLOCK_RUNNING_STATES, type DossierStateName } from './dossier-status.ts';

/**
 * Every action on a dossier, each defined once: its name, the states it starts from, who may take it,
 * its input, its guard, its decision (what the event records: due dates, pauses), its fold into the
 * state, the forms it gives grounds for and the fields of its dialog. The tables at the end and the
 * machine (dossier-machine.ts) are derived from these definitions.
 */

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

/** What the guards and role rules read: the procedure, and whether the result was just signed. */
export type DossierRules = {
  procedure: Pick<ProcedureDefinition, 'duration' | 'steps' | 'interAgency'>;
  /**
   * The competent officer (the role of the procedure's last step) has just signed the electronic result:
   * they may mark it ready themselves, which their role may not do otherwise.
   */
  signedResult?: boolean;
};

export type DecisionContext = DossierRules & {
  now: Date;
  calendar: WorkCalendar;
  actor: { id: number; role: ActorRole };
  /** The role of the officer an assignment names, looked up by the caller; checked against the step. */
  assigneeRole?: StaffRole | undefined;
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

/** The holder's own deadline: their step's, else the dossier's. */
function holderDeadline(s: DossierState) {
  return s.stepDueAt ?? s.dueAt;
}

function isAtLastStep(s: DossierState, steps: readonly unknown[]) {
  return s.stepIndex !== null && s.stepIndex === steps.length - 1;
}

type Event<D> = CaseEvent<string, D, ActorRole>;

function slipRow(
  s: DossierState,
  e: Event<unknown>,
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
    action: e.type as ControlSlipRow['action'],
    stepKey: s.stepKey,
    deadline,
    verdict: judge(e.at, deadline),
    note: typeof note === 'string' ? note : null,
  };
}

/** A hand-over recorded on the control slip (form 06). */
export function handOver(
  s: DossierState,
  e: Event<unknown>,
  to: Party,
  deadline: string | null,
  note?: unknown,
): DossierState {
  return { ...s, holder: to, controlSlip: [...s.controlSlip, slipRow(s, e, to, deadline, note)] };
}

export function staffParty(role: ActorRole, accountId: number | null): Party {
  // Citizens never receive, assign or sign: only officers' events name a receiving officer.
  if (role === 'citizen') throw new Error('a citizen does not hold a dossier for the centre');
  return { kind: 'staff', role, accountId };
}

/** The officer who asked the applicant for the supplement: the dossier goes back to them. */
function requesterOf(s: DossierState): Party {
  const asked = s.controlSlip.findLast((r) => r.action === 'request-supplement' && r.to.kind === 'applicant');
  return asked?.from ?? { kind: 'staff', role: 'reception_officer', accountId: null };
}

export const APPLICANT: Party = { kind: 'applicant' };

export type Clock = { clockStartAt: string; statutoryDueAt: string; dueAt: string };

/** The legal clock starts: the next working moment, and the due date on the working-day calendar. */
export function startClock(ctx: Pick<DecisionContext, 'now' | 'calendar' | 'procedure'>): Clock {
  const due = iso(ctx.calendar.computeDue(ctx.now, ctx.procedure.duration));
  return { clockStartAt: iso(ctx.calendar.nextWorkingMoment(ctx.now)), statutoryDueAt: due, dueAt: due };
}

function stepTarget(procedure: DossierRules['procedure'], index: number) {
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

/** The role of the procedure's current step: forward, return to the previous step, approve at the last. */
const STEP_ROLE: RoleRule<DossierState, DossierRules, ActorRole> = {
  label: 'step',
  may: (s, role, rules) => {
    const step = s.stepIndex === null ? undefined : rules.procedure.steps[s.stepIndex];
    return step?.role === role;
  },
};

const action = actionBuilder<DossierState, DossierRules, DecisionContext, ActorRole, FormNo>();

/** Refused, withdrawn or stopped: the dossier goes back to the applicant, closed. */
function close(s: DossierState, e: Event<unknown>, state: DossierStateName, why: string): DossierState {
  // Already with the applicant (never received, or waiting for a supplement): nothing changes hands.
  const closed = s.holder.kind === 'applicant' ? s : handOver(s, e, APPLICANT, holderDeadline(s), why);
  return { ...closed, state, closedAt: e.at, pause: null };
}

/** The applicant's pause ends: the clock's dates move by the working time it stood still. */
function decideResume(s: DossierState, ctx: DecisionContext): Resumed {
  const pause = s.pause;
  if (!pause) throw new Error('paused state without a pause');
  if (pause.applicantDeadline && toLocalDate(ctx.now) > pause.applicantDeadline) {
    throw new AppError('SUPPLEMENT_DEADLINE_PASSED', { deadline: pause.applicantDeadline });
  }
  if (!pause.clockWasRunning) return {};
  const span = { start: at(pause.start), end: ctx.now };
  const extend = (d: string | null) => (d ? iso(ctx.calendar.extendForPause(at(d), span)) : null);
  return {
    pausedHours: ctx.calendar.workingHoursBetween(span.start, span.end),
    statutoryDueAt: extend(s.statutoryDueAt),
    dueAt: extend(s.dueAt),
    stepDueAt: extend(s.stepDueAt),
  };
}

type Resumed = {
  pausedHours?: number;
  statutoryDueAt?: string | null;
  dueAt?: string | null;
  stepDueAt?: string | null;
};

function foldResume(s: DossierState, e: Event<Resumed>): DossierState {
  const pause = s.pause;
  if (!pause) throw new Error('paused state without a pause');
  let next: DossierState = { ...s, state: pause.resumeTo, pause: null };
  if (pause.clockWasRunning) {
    next = {
      ...next,
      pauses: [...s.pauses, { start: pause.start, end: e.at, reason: pause.reason }],
      statutoryDueAt: e.data.statutoryDueAt ?? null,
      dueAt: e.data.dueAt ?? null,
      stepDueAt: e.data.stepDueAt ?? null,
    };
  }
  if (s.holder.kind !== 'applicant' || pause.resumeTo === 'submitted') return next;
  const to = e.actor.role === 'citizen' ? requesterOf(s) : staffParty(e.actor.role, e.actor.id);
  return handOver(next, e, to, null);
}

type Moved = {
  assigneeId?: number;
  note?: string;
  reason?: string;
  stepIndex: number;
  stepKey: string;
  role: StaffRole;
  stepStartedAt: string | null;
  stepDueAt: string | null;
};

function foldMove(s: DossierState, e: Event<Moved>): DossierState {
  const d = e.data;
  const moved = handOver(
    s,
    e,
    staffParty(d.role, d.assigneeId ?? null),
    holderDeadline(s),
    d.reason ?? d.note,
  );
  return {
    ...moved,
    state: 'in_progress',
    stepIndex: d.stepIndex,
    stepKey: d.stepKey,
    stepStartedAt: d.stepStartedAt,
    stepDueAt: d.stepDueAt,
  };
}

/** The next or the previous step, with its own budget from now. */
function decideStepMove(s: DossierState, ctx: DecisionContext, delta: 1 | -1) {
  const index = (s.stepIndex ?? 0) + delta;
  const step = stepTarget(ctx.procedure, index);
  checkAssigneeRole(step.role, ctx.assigneeRole);
  return {
    stepIndex: index,
    stepKey: step.key,
    role: step.role,
    stepStartedAt: iso(ctx.now),
    stepDueAt: iso(ctx.calendar.addWorkingHours(ctx.now, step.budgetHours)),
  };
}

const NOTE_DIALOG = [{ name: 'note', kind: 'note', label: 'dossier.note' }] as const;

export const DOSSIER_ACTION_DEFS = {
  receive: action({
    name: 'Tiếp nhận',
    from: ['submitted'],
    roles: ['reception_officer', 'centre_director'],
    input: z.object({ note }),
    guard: null,
    decide: (_s, input, ctx) => ({ ...input, clock: startClock(ctx) }),
    fold: (s, e) =>
      handOver(
        { ...s, state: 'received', receivedAt: e.at, ...e.data.clock },
        e,
        staffParty(e.actor.role, e.actor.id),
        null,
      ),
    forms: ['01'],
    dialog: NOTE_DIALOG,
  }),
  refuse: action({
    name: 'Từ chối tiếp nhận',
    from: ['submitted', 'received'],
    roles: ['reception_officer', 'centre_director'],
    input: z.object({ reasons, note }),
    guard: null,
    decide: (_s, input) => input,
    fold: (s, e) => close(s, e, 'refused', e.data.reasons.join('; ')),
    forms: ['03'],
    dialog: [
      { name: 'reasons', kind: 'reasons', label: 'dossier.reasons' },
      { name: 'note', kind: 'note', label: 'dossier.note' },
    ],
  }),
  'request-supplement': action({
    name: 'Yêu cầu bổ sung',
    from: ['submitted', 'received', 'in_progress'],
    roles: ['reception_officer', 'specialist', 'department_head', 'centre_director'],
    input: z.object({
      reasons,
      missingComponents: z.array(z.string().max(40)).max(40).optional(),
      applicantDeadline: LocalDate.optional(),
      note,
    }),
    guard: (s) =>
      CLOCK_RUNNING_STATES.has(s.state) &&
      s.supplementRequests >= DOSSIER_RULES.maxSupplementRequestsWhileProcessing
        ? 'đã yêu cầu bổ sung một lần trong quá trình giải quyết'
        : null,
    decide: (s, input, ctx) => {
      const deadline =
        input.applicantDeadline ??
        toLocalDate(ctx.calendar.addCalendarDays(ctx.now, DOSSIER_RULES.defaultSupplementDays));
      if (deadline < toLocalDate(ctx.now)) {
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          { 'body.applicantDeadline': 'Hạn bổ sung phải từ hôm nay trở đi' },
        );
      }
      return { ...input, applicantDeadline: deadline, clockWasRunning: CLOCK_RUNNING_STATES.has(s.state) };
    },
    fold: (s, e) => {
      const running = e.data.clockWasRunning;
      const paused: DossierState = {
        ...s,
        state: 'awaiting_supplement',
        pause: {
          start: e.at,
          reason: 'supplement',
          resumeTo: s.state,
          clockWasRunning: running,
          applicantDeadline: e.data.applicantDeadline,
        },
        supplementRequests: s.supplementRequests + (running ? 1 : 0),
      };
      // A dossier that was never received stays with the applicant: no hand-over to record.
      if (s.holder.kind === 'applicant') return paused;
      return handOver(paused, e, APPLICANT, holderDeadline(s), e.data.reasons.join('; '));
    },
    forms: ['02'],
    dialog: [
      { name: 'reasons', kind: 'reasons', label: 'dossier.reasons' },
      { name: 'missingComponents', kind: 'components', label: 'dossier.missingComponents' },
      { name: 'applicantDeadline', kind: 'date', label: 'dossier.applicantDeadline' },
      { name: 'note', kind: 'note', label: 'dossier.note' },
    ],
  }),
  'supplement-received': action({
    name: 'Nhận bổ sung',
    from: ['awaiting_supplement'],
    // The applicant hands in an online supplement themselves.
    roles: ['reception_officer', 'specialist', 'centre_director', 'citizen'],
    input: z.object({ note }),
    guard: null,
    decide: (s, input, ctx) => ({ ...input, ...decideResume(s, ctx) }),
    fold: foldResume,
    forms: [],
    dialog: NOTE_DIALOG,
  }),
  assign: action({
    name: 'Phân công',
    from: ['received', 'in_progress'],
    roles: ['reception_officer', 'department_head', 'commune_leader', 'centre_director'],
    input: z.object({ assigneeId: assignee, note }),
    guard: null,
    decide: (s, input, ctx) => {
      const index = s.state === 'received' ? 0 : (s.stepIndex ?? 0);
      const step = stepTarget(ctx.procedure, index);
      checkAssigneeRole(step.role, ctx.assigneeRole);
      const fresh = s.state === 'received';
      return {
        ...input,
        stepIndex: index,
        stepKey: step.key,
        role: step.role,
        stepStartedAt: fresh ? iso(ctx.now) : s.stepStartedAt,
        stepDueAt: fresh ? iso(ctx.calendar.addWorkingHours(ctx.now, step.budgetHours)) : s.stepDueAt,
      };
    },
    fold: foldMove,
    forms: [],
    dialog: [
      { name: 'assigneeId', kind: 'assignee', label: 'dossier.assignee' },
      { name: 'note', kind: 'note', label: 'dossier.note' },
    ],
  }),
  forward: action({
    name: 'Chuyển bước tiếp theo',
    from: ['in_progress'],
    roles: STEP_ROLE,
    input: z.object({ assigneeId: assignee.optional(), note }),
    guard: (s, rules) => (isAtLastStep(s, rules.procedure.steps) ? 'đã ở bước cuối, hãy phê duyệt' : null),
    decide: (s, input, ctx) => ({ ...input, ...decideStepMove(s, ctx, 1) }),
    fold: foldMove,
    forms: [],
    dialog: [
      { name: 'assigneeId', kind: 'assigneeOptional', label: 'dossier.assigneeOptional' },
      { name: 'note', kind: 'note', label: 'dossier.note' },
    ],
  }),
  'return-step': action({
    name: 'Trả lại bước trước',
    from: ['in_progress'],
    roles: STEP_ROLE,
    input: z.object({ reason: reason('lý do trả lại'), assigneeId: assignee.optional() }),
    guard: (s) => (s.stepIndex === 0 ? 'đang ở bước đầu tiên' : null),
    decide: (s, input, ctx) => ({ ...input, ...decideStepMove(s, ctx, -1) }),
    fold: foldMove,
    forms: [],
    dialog: [
      { name: 'reason', kind: 'reason', label: 'dossier.reason' },
      { name: 'assigneeId', kind: 'assigneeOptional', label: 'dossier.assigneeOptional' },
    ],
  }),
  'request-payment': action({
    name: 'Yêu cầu thực hiện nghĩa vụ tài chính',
    from: ['in_progress'],
    roles: ['specialist', 'reception_officer'],
    input: z.object({
      amountVnd: z
        .number({ error: 'Vui lòng nhập số tiền' })
        .int()
        .positive({ error: 'Số tiền phải lớn hơn 0' }),
      description: reason('nội dung nghĩa vụ tài chính'),
    }),
    guard: null,
    decide: (_s, input) => input,
    fold: (s, e) => ({
      ...s,
      state: 'awaiting_payment',
      pause: {
        start: e.at,
        reason: 'payment',
        resumeTo: s.state,
        clockWasRunning: true,
        applicantDeadline: null,
      },
    }),
    forms: [],
    dialog: [
      { name: 'amountVnd', kind: 'amount', label: 'dossier.amount' },
      { name: 'description', kind: 'text', label: 'dossier.description' },
    ],
  }),
  'payment-received': action({
    name: 'Đã thực hiện nghĩa vụ tài chính',
    from: ['awaiting_payment'],
    roles: ['specialist', 'reception_officer'],
    input: z.object({ receiptNo: z.string().trim().max(100).optional(), note }),
    guard: null,
    decide: (s, input, ctx) => ({ ...input, ...decideResume(s, ctx) }),
    fold: foldResume,
    forms: [],
    dialog: [
      { name: 'receiptNo', kind: 'text', label: 'dossier.receiptNo' },
      { name: 'note', kind: 'note', label: 'dossier.note' },
    ],
  }),
  transfer: action({
    name: 'Chuyển cơ quan phối hợp',
    from: ['in_progress'],
    roles: ['specialist', 'department_head'],
    input: z.object({
      agency: reason('tên cơ quan phối hợp'),
      subDeadlineDays: z.number().positive({ error: 'Số ngày phải lớn hơn 0' }).max(365).optional(),
      note,
    }),
    guard: null,
    decide: (_s, input, ctx) => {
      const days =
        input.subDeadlineDays ?? ctx.procedure.interAgency?.budgetDays ?? DOSSIER_RULES.defaultTransferDays;
      return { ...input, subDueAt: iso(ctx.calendar.addWorkingDays(ctx.now, days)) };
    },
    fold: (s, e) => ({
      ...handOver(s, e, { kind: 'agency', name: e.data.agency }, holderDeadline(s), e.data.note),
      state: 'transferred',
      transfer: { agency: e.data.agency, at: e.at, subDueAt: e.data.subDueAt },
    }),
    forms: [],
    dialog: [
      { name: 'agency', kind: 'text', label: 'dossier.agency' },
      { name: 'subDeadlineDays', kind: 'days', label: 'dossier.subDeadlineDays' },
      { name: 'note', kind: 'note', label: 'dossier.note' },
    ],
  }),
  'receive-back': action({
    name: 'Nhận lại từ cơ quan phối hợp',
    from: ['transferred'],
    roles: ['specialist', 'department_head'],
    input: z.object({ note }),
    guard: null,
    decide: (_s, input) => input,
    fold: (s, e) => ({
      ...handOver(s, e, staffParty(e.actor.role, e.actor.id), s.transfer?.subDueAt ?? null, e.data.note),
      state: 'in_progress',
      transfer: null,
    }),
    forms: [],
    dialog: NOTE_DIALOG,
  }),
  approve: action({
    name: 'Phê duyệt',
    from: ['in_progress'],
    roles: STEP_ROLE,
    input: z.object({ note }),
    guard: (s, rules) => (isAtLastStep(s, rules.procedure.steps) ? null : 'chỉ phê duyệt ở bước cuối'),
    decide: (_s, input) => input,
    fold: (s, e) => ({ ...s, state: 'approved', approvedAt: e.at }),
    forms: [],
    dialog: NOTE_DIALOG,
  }),
  'result-ready': action({
    name: 'Có kết quả',
    from: ['approved'],
    roles: {
      label: ['reception_officer', 'specialist', 'centre_director'],
      // The competent officer who has just signed the electronic result marks it ready themselves.
      may: (_s, role, rules) =>
        rules.signedResult
          ? rules.procedure.steps.at(-1)?.role === role
          : (['reception_officer', 'specialist', 'centre_director'] as ActorRole[]).includes(role),
    },
    input: z.object({ note }),
    guard: null,
    decide: (s, input, ctx) => {
      const start = s.clockStartAt ? at(s.clockStartAt) : ctx.now;
      const cal = ctx.calendar;
      const paused = s.pauses.reduce((sum, p) => sum + cal.workingHoursBetween(at(p.start), at(p.end)), 0);
      const hours = ctx.now > start ? cal.workingHoursBetween(start, ctx.now) - paused : 0;
      return { ...input, processingHours: Math.max(0, Math.round(hours * 100) / 100) };
    },
    fold: (s, e) => ({
      ...handOver(s, e, staffParty(e.actor.role, e.actor.id), holderDeadline(s), e.data.note),
      state: 'result_ready',
      resultReadyAt: e.at,
      processingHours: e.data.processingHours ?? null,
      stepIndex: null,
      stepKey: null,
      stepDueAt: null,
    }),
    forms: [],
    dialog: NOTE_DIALOG,
  }),
  'return-result': action({
    name: 'Trả kết quả',
    from: ['result_ready'],
    roles: ['reception_officer', 'centre_director'],
    input: z.object({
      recipientName: reason('họ tên người nhận kết quả'),
      method: z.enum(['counter', 'post', 'electronic'], {
        error: 'Hình thức trả: counter, post hoặc electronic',
      }),
      note,
    }),
    guard: null,
    decide: (_s, input) => input,
    fold: (s, e) => ({
      ...handOver(s, e, APPLICANT, s.dueAt, e.data.recipientName),
      state: 'returned',
      returnedAt: e.at,
      closedAt: e.at,
    }),
    forms: [],
    dialog: [
      { name: 'recipientName', kind: 'recipient', label: 'dossier.recipientName' },
      { name: 'method', kind: 'method', label: 'dossier.method' },
      { name: 'note', kind: 'note', label: 'dossier.note' },
    ],
  }),
  withdraw: action({
    name: 'Rút hồ sơ',
    from: [
      'submitted',
      'received',
      'in_progress',
      'transferred',
      'approved',
      'awaiting_supplement',
      'awaiting_payment',
    ],
    roles: ['reception_officer', 'centre_director'],
    input: z.object({ reason: reason('lý do rút hồ sơ') }),
    guard: null,
    decide: (_s, input) => input,
    fold: (s, e) => close(s, e, 'withdrawn', e.data.reason),
    forms: [],
    dialog: [{ name: 'reason', kind: 'reason', label: 'dossier.reason' }],
  }),
  stop: action({
    name: 'Dừng xử lý',
    from: ['received', 'in_progress', 'transferred', 'awaiting_supplement', 'awaiting_payment'],
    roles: ['commune_leader', 'centre_director'],
    input: z.object({ reason: reason('lý do dừng xử lý') }),
    guard: null,
    decide: (_s, input) => input,
    fold: (s, e) => close(s, e, 'stopped', e.data.reason),
    forms: ['05'],
    dialog: [{ name: 'reason', kind: 'reason', label: 'dossier.reason' }],
  }),
  apologize: action({
    name: 'Xin lỗi, hẹn lại ngày trả',
    from: ['received', 'in_progress', 'transferred', 'approved', 'awaiting_supplement', 'awaiting_payment'],
    roles: ['commune_leader', 'centre_director'],
    input: z.object({ reason: reason('lý do chậm trả'), newDueAt: Instant }),
    guard: (s) => (s.apologies >= DOSSIER_RULES.maxApologies ? 'đã gửi văn bản xin lỗi một lần' : null),
    decide: (s, input, ctx) => {
      const newDue = at(input.newDueAt);
      if (!s.dueAt || newDue.getTime() <= Date.parse(s.dueAt) || newDue.getTime() <= ctx.now.getTime()) {
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          { 'body.newDueAt': 'Ngày hẹn mới phải sau ngày hẹn hiện tại và sau thời điểm hiện tại' },
        );
      }
      return { ...input, newDueAt: iso(newDue), beforeDue: ctx.now.getTime() <= Date.parse(s.dueAt) };
    },
    fold: (s, e) => ({ ...s, dueAt: e.data.newDueAt, apologies: s.apologies + 1 }),
    forms: ['04'],
    dialog: [
      { name: 'reason', kind: 'reason', label: 'dossier.reason' },
      { name: 'newDueAt', kind: 'datetime', label: 'dossier.newDueAt' },
    ],
  }),
};

export type DossierActionDefs = typeof DOSSIER_ACTION_DEFS;
export type DossierAction = keyof DossierActionDefs & string;

/** The actions in their order of definition (the API's enum). */
export const DOSSIER_ACTIONS = Object.keys(DOSSIER_ACTION_DEFS) as [DossierAction, ...DossierAction[]];

export const ACTION_NAMES_VI = tableOf(DOSSIER_ACTION_DEFS, (d) => d.name);

/** The input schema of each action. */
export const ACTION_INPUTS = tableOf(DOSSIER_ACTION_DEFS, (d) => d.input);

/** The fields of each action's dialog in the web app. */
export const ACTION_DIALOGS = tableOf(DOSSIER_ACTION_DEFS, (d) => d.dialog);

export type ActionInput<A extends DossierAction = DossierAction> = z.output<DossierActionDefs[A]['input']>;

/** The body of POST /api/dossiers/:id/actions/:action: the action's fields plus the version seen. */
export function actionBody(action: DossierAction) {
  return (ACTION_INPUTS[action] as z.ZodObject).extend({
    version: z.number({ error: 'Phiên bản phải là số' }).int().positive().optional(),
  });
}

/** Roles that work on a commune's dossiers (the others only read, at most). */
export const COMMUNE_HANDLING_ROLES: ReadonlySet<StaffRole> = new Set([
  'reception_officer',
  'specialist',
  'department_head',
  'commune_leader',
  'centre_director',
]);

/** Who may register a new dossier: the counter, the director, and volunteers for assisted online filing. */
export const INTAKE_ROLES: ReadonlySet<StaffRole> = new Set([
  'reception_officer',
  'centre_director',
  'support_volunteer',
]);
