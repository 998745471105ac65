import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatVnIso, parseIso } from '../calendar/vn-time.ts';
import { AppError } from '../errors.ts';
import type { StaffRole } from '../identity/roles.ts';
import { DOSSIER_ACTIONS, type DossierAction } from './dossier-actions.ts';
import {
  applyDossierEvent,
  decideAction,
  decideIntake,
  getDossierState,
  isControlSlipUnbroken,
  isTerminal,
  listAllowedActions,
} from './dossier-machine.ts';
import type { DossierEvent, DossierState } from './dossier-state.ts';
import { DOSSIER_STATES, NATIONAL_STATUS } from './dossier-status.ts';
import { TEST_CALENDAR, TEST_PROCEDURE } from './test-fixtures.ts';

const ROLES: StaffRole[] = [
  'reception_officer',
  'specialist',
  'department_head',
  'commune_leader',
  'centre_director',
];

/** Plausible inputs for each action; the machine decides whether the action fits. */
function inputFor(action: DossierAction, now: Date, extraHours: number): Record<string, unknown> {
  switch (action) {
    case 'refuse':
    case 'request-supplement':
      return { reasons: ['Thiếu giấy tờ'] };
    case 'assign':
      return { assigneeId: 9 };
    case 'return-step':
    case 'withdraw':
    case 'stop':
      return { reason: 'Lý do thử nghiệm' };
    case 'request-payment':
      return { amountVnd: 50_000, description: 'Lệ phí' };
    case 'transfer':
      return { agency: 'Cơ quan phối hợp' };
    case 'return-result':
      return { recipientName: 'Người nhận', method: 'counter' };
    case 'apologize':
      return { reason: 'Chậm', newDueAt: formatVnIso(TEST_CALENDAR.addWorkingHours(now, 8 + extraHours)) };
    default:
      return {};
  }
}

// A mix: any action by any role (mostly refused), any allowed action, or one that moves the dossier on
// (without that bias random walks end in withdraw/stop long before they reach approval).
const PROGRESS = new Set<DossierAction>([
  'receive',
  'forward',
  'approve',
  'result-ready',
  'return-result',
  'supplement-received',
  'payment-received',
  'receive-back',
]);
const step = fc.record({
  mode: fc.constantFrom('wild', 'allowed', 'progress', 'progress'),
  pick: fc.nat(),
  action: fc.constantFrom(...DOSSIER_ACTIONS),
  role: fc.constantFrom(...ROLES),
  advanceHours: fc.double({ min: 0, max: 40, noNaN: true }),
  extraHours: fc.integer({ min: 0, max: 100 }),
});

describe('random action sequences', () => {
  it('never break the invariants: terminal stays terminal, status defined, due dates never earlier, slip unbroken', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(
        fc.constantFrom('counter', 'online', 'postal' as const),
        fc.integer({ min: 0, max: 24 * 60 }),
        fc.array(step, { maxLength: 40 }),
        (channel, startMinutes, steps) => {
          let now = new Date(parseIso('2025-04-20T00:00:00+07:00').getTime() + startMinutes * 60_000 * 7);
          const intake = decideIntake(
            {
              now,
              calendar: TEST_CALENDAR,
              procedure: TEST_PROCEDURE,
              actor: { id: 1, role: 'reception_officer' },
            },
            { channel, details: {} },
          );
          let state: DossierState = applyDossierEvent(null, intake);
          const events: DossierEvent[] = [intake];
          for (const s of steps) {
            now = new Date(now.getTime() + s.advanceHours * 3_600_000);
            const before = state;
            let action = s.action;
            let role = s.role;
            if (s.mode !== 'wild') {
              const all = ROLES.flatMap((r) =>
                listAllowedActions(state, TEST_PROCEDURE, r).map((a) => [a, r] as const),
              );
              const forward = all.filter(
                ([a]) => PROGRESS.has(a) || (a === 'assign' && state.state === 'received'),
              );
              const options = s.mode === 'progress' && forward.length > 0 ? forward : all;
              const chosen = options[s.pick % Math.max(1, options.length)];
              if (chosen) [action, role] = chosen;
            }
            let event: DossierEvent;
            try {
              event = decideAction(state, action, inputFor(action, now, s.extraHours) as never, {
                now,
                calendar: TEST_CALENDAR,
                procedure: TEST_PROCEDURE,
                actor: { id: 2, role },
              });
            } catch (err) {
              // Refusals are the machine's answer, never a crash.
              expect(err).toBeInstanceOf(AppError);
              continue;
            }
            // A terminal dossier accepts nothing.
            expect(isTerminal(before)).toBe(false);
            state = applyDossierEvent(state, event);
            events.push(event);
            reached.add(state.state);
            expect(state.statusCode).toBe(NATIONAL_STATUS[state.state]);
            expect(state.statusCode).toBeGreaterThanOrEqual(1);
            expect(state.statusCode).toBeLessThanOrEqual(10);
            for (const key of ['dueAt', 'statutoryDueAt'] as const) {
              const was = before[key];
              const is = state[key];
              if (was !== null) {
                expect(is).not.toBeNull();
                expect(Date.parse(is as string)).toBeGreaterThanOrEqual(Date.parse(was));
              }
            }
            expect(isControlSlipUnbroken(state.controlSlip)).toBe(true);
            expect(state.version).toBe(events.length);
          }
          expect(getDossierState(events)).toEqual(state);
        },
      ),
      { numRuns: 400 },
    );
    // The sequences must really explore the machine, or the invariants above prove little.
    expect([...reached].sort()).toEqual([...DOSSIER_STATES].sort());
  });
});
