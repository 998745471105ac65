import { describe, expect, it } from 'vitest';
import { parseIso } from '../calendar/vn-time.ts';
import { AppError } from '../errors.ts';
import type { StaffRole } from '../identity/roles.ts';
import type { DossierAction } from './dossier-actions.ts';
import {
  applyDossierEvent,
  decideAction,
  decideIntake,
  getDossierState,
  isControlSlipUnbroken,
  judge,
  listAllowedActions,
} from './dossier-machine.ts';
import type { DossierEvent, DossierState } from './dossier-state.ts';
import { TEST_CALENDAR, TEST_PROCEDURE } from './test-fixtures.ts';

const ctx = (now: string, role: StaffRole, id = 1) => ({
  now: parseIso(now),
  calendar: TEST_CALENDAR,
  procedure: TEST_PROCEDURE,
  actor: { id, role },
});

function run(start: DossierState, steps: [DossierAction, string, StaffRole, Record<string, unknown>?][]) {
  let s = start;
  const events: DossierEvent[] = [];
  for (const [action, now, role, input] of steps) {
    const e = decideAction(s, action, (input ?? {}) as never, ctx(now, role));
    events.push(e);
    s = applyDossierEvent(s, e);
  }
  return { state: s, events };
}

const counterIntake = (now: string) =>
  decideIntake(ctx(now, 'reception_officer'), { channel: 'counter', details: {} });

describe('the dossier machine', () => {
  it('walks counter intake → three steps → approve → result → returned with the national codes', () => {
    const intake = counterIntake('2025-07-14T09:00:00+07:00');
    const s0 = applyDossierEvent(null, intake);
    expect(s0).toMatchObject({ state: 'received', statusCode: 2, dueAt: '2025-07-17T09:00:00+07:00' });
    const { state, events } = run(s0, [
      ['assign', '2025-07-14T10:00:00+07:00', 'reception_officer', { assigneeId: 7 }],
      ['forward', '2025-07-15T10:00:00+07:00', 'specialist'],
      ['forward', '2025-07-15T15:00:00+07:00', 'department_head'],
      ['approve', '2025-07-16T08:00:00+07:00', 'commune_leader'],
      ['result-ready', '2025-07-16T09:00:00+07:00', 'reception_officer'],
      [
        'return-result',
        '2025-07-16T10:00:00+07:00',
        'reception_officer',
        { recipientName: 'Lê Văn Tám', method: 'counter' },
      ],
    ]);
    expect(state).toMatchObject({
      state: 'returned',
      statusCode: 10,
      version: 7,
      returnedAt: '2025-07-16T10:00:00+07:00',
    });
    expect(state.controlSlip.map((r) => [r.action, r.verdict])).toEqual([
      ['intake', null],
      ['assign', 'early'],
      ['forward', 'on_time'],
      ['forward', 'early'],
      ['result-ready', 'on_time'],
      ['return-result', 'early'],
    ]);
    expect(isControlSlipUnbroken(state.controlSlip)).toBe(true);
    expect(getDossierState([intake, ...events])).toEqual(state);
  });

  it('moves the due date by exactly the working time a supplement request paused', () => {
    const s0 = applyDossierEvent(null, counterIntake('2025-04-24T09:00:00+07:00'));
    const before = s0.dueAt as string;
    // Paused from Friday 25 April 10:00 to Tuesday 6 May 09:00: Friday 5 h; Saturday 26th (worked), Monday 28,
    // Tuesday 29 and Monday 5 May 8 h each; 30 April–4 May off; Tuesday 07:00–09:00 2 h.
    const { state } = run(s0, [
      ['assign', '2025-04-24T10:00:00+07:00', 'reception_officer', { assigneeId: 7 }],
      ['request-supplement', '2025-04-25T10:00:00+07:00', 'specialist', { reasons: ['Thiếu bản sao'] }],
      ['supplement-received', '2025-05-06T09:00:00+07:00', 'reception_officer'],
    ]);
    const paused = TEST_CALENDAR.workingHoursBetween(
      parseIso('2025-04-25T10:00:00+07:00'),
      parseIso('2025-05-06T09:00:00+07:00'),
    );
    expect(paused).toBe(5 + 8 + 8 + 8 + 8 + 2);
    expect(TEST_CALENDAR.workingHoursBetween(parseIso(before), parseIso(state.dueAt as string))).toBe(paused);
    expect(state).toMatchObject({ state: 'in_progress', statusCode: 4, supplementRequests: 1 });
    expect(state.pauses).toEqual([
      { start: '2025-04-25T10:00:00+07:00', end: '2025-05-06T09:00:00+07:00', reason: 'supplement' },
    ]);
  });

  it('refuses a second supplement request while processing, and a second apology', () => {
    const s0 = applyDossierEvent(null, counterIntake('2025-07-14T09:00:00+07:00'));
    const { state } = run(s0, [
      ['assign', '2025-07-14T10:00:00+07:00', 'reception_officer', { assigneeId: 7 }],
      ['request-supplement', '2025-07-14T11:00:00+07:00', 'specialist', { reasons: ['Thiếu'] }],
      ['supplement-received', '2025-07-15T08:00:00+07:00', 'specialist'],
      [
        'apologize',
        '2025-07-21T08:00:00+07:00',
        'commune_leader',
        { reason: 'Chậm', newDueAt: '2025-07-24T17:00:00+07:00' },
      ],
    ]);
    expect(listAllowedActions(state, TEST_PROCEDURE, 'specialist')).not.toContain('request-supplement');
    expect(() =>
      decideAction(
        state,
        'apologize',
        { reason: 'lần hai', newDueAt: '2025-07-30T17:00:00+07:00' } as never,
        ctx('2025-07-22T08:00:00+07:00', 'commune_leader'),
      ),
    ).toThrowError(expect.objectContaining({ code: 'ACTION_NOT_ALLOWED' }));
    expect(state.dueAt).toBe('2025-07-24T17:00:00+07:00');
  });

  it('names the state and the allowed actions when an action does not fit, and the role when it is not theirs', () => {
    const s0 = applyDossierEvent(null, counterIntake('2025-07-14T09:00:00+07:00'));
    try {
      decideAction(s0, 'approve', {} as never, ctx('2025-07-14T10:00:00+07:00', 'commune_leader'));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('ACTION_NOT_ALLOWED');
      expect((err as AppError).details).toMatchObject({
        state: 'received',
        statusCode: 2,
        allowedActions: ['assign', 'stop', 'apologize'],
      });
      expect((err as AppError).message).toContain('received');
    }
    expect(() =>
      decideAction(s0, 'assign', { assigneeId: 2 } as never, ctx('2025-07-14T10:00:00+07:00', 'specialist')),
    ).toThrowError(expect.objectContaining({ code: 'ROLE_NOT_ALLOWED' }));
  });

  it('judges hand-overs early on an earlier day, on time on the day, late after the deadline', () => {
    expect(judge('2025-07-14T16:00:00+07:00', '2025-07-15T10:00:00+07:00')).toBe('early');
    expect(judge('2025-07-15T09:59:00+07:00', '2025-07-15T10:00:00+07:00')).toBe('on_time');
    expect(judge('2025-07-15T10:01:00+07:00', '2025-07-15T10:00:00+07:00')).toBe('late');
    expect(judge('2025-07-15T10:01:00+07:00', null)).toBeNull();
  });

  it('transfers with a sub-deadline from the procedure and judges the return against it', () => {
    const s0 = applyDossierEvent(null, counterIntake('2025-07-14T09:00:00+07:00'));
    const { state } = run(s0, [
      ['assign', '2025-07-14T10:00:00+07:00', 'reception_officer', { assigneeId: 7 }],
      ['transfer', '2025-07-14T11:00:00+07:00', 'specialist', { agency: 'Văn phòng đăng ký đất đai' }],
    ]);
    expect(state).toMatchObject({
      state: 'transferred',
      statusCode: 4,
      transfer: { subDueAt: '2025-07-16T11:00:00+07:00' },
    });
    const back = run(state, [['receive-back', '2025-07-17T08:00:00+07:00', 'specialist']]).state;
    expect(back.state).toBe('in_progress');
    expect(back.controlSlip.at(-1)).toMatchObject({ from: { kind: 'agency' }, verdict: 'late' });
  });

  it('keeps an online dossier off the clock until reception receives it', () => {
    const e = decideIntake(ctx('2025-07-12T20:00:00+07:00', 'support_volunteer'), {
      channel: 'online',
      details: {},
    });
    const s = applyDossierEvent(null, e);
    expect(s).toMatchObject({ state: 'submitted', statusCode: 1, dueAt: null, controlSlip: [] });
    const received = run(s, [['receive', '2025-07-14T08:00:00+07:00', 'reception_officer']]).state;
    expect(received).toMatchObject({
      state: 'received',
      clockStartAt: '2025-07-14T08:00:00+07:00',
      dueAt: '2025-07-17T08:00:00+07:00',
    });
  });
});
