/**
 * Due-date computations per second, per duration unit, on the calendar with the official schedules.
 * Baseline in the same run: adding a fixed number of milliseconds to a Date (the floor of any date math).
 * Run: npm run bench:calendar
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  createWorkCalendar,
  type DueDuration,
  type OfficialScheduleEntry,
} from '../src/core/calendar/index.ts';
import { REFERENCE_DIR } from '../src/server/paths.ts';

const schedule = JSON.parse(
  fs.readFileSync(path.join(REFERENCE_DIR, 'holidays', 'official-schedules.json'), 'utf8'),
) as { entries: OfficialScheduleEntry[] };
const calendar = createWorkCalendar({ officialSchedule: schedule.entries });

// Deterministic pseudo-random starts over 2024–2028 (a fixed seed: runs compare).
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const from = Date.UTC(2024, 0, 1);
const span = Date.UTC(2029, 0, 1) - from;
const starts = Array.from({ length: 10_000 }, () => new Date(from + Math.floor(random() * span)));

function measure(label: string, run: (start: Date) => unknown, seconds = 1.5) {
  let ops = 0;
  let sink = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 1000; i++) {
      const r = run(starts[(ops + i) % starts.length] as Date);
      if (r) sink++;
    }
    ops += 1000;
  }
  const perSecond = ops / seconds;
  return { label, perSecond, sink };
}

// Warm the per-year caches first, as a running server would be.
for (const s of starts.slice(0, 500)) calendar.computeDue(s, { amount: 5, unit: 'working_days' });

const baseline = measure('baseline: new Date(t + 3 days)', (s) => new Date(s.getTime() + 259_200_000));
const cases: [string, DueDuration][] = [
  ['same_day (15:00 cut-off)', { amount: 0, unit: 'same_day' }],
  ['3 working days', { amount: 3, unit: 'working_days' }],
  ['10 working days', { amount: 10, unit: 'working_days' }],
  ['60 working days', { amount: 60, unit: 'working_days' }],
  ['16 working hours', { amount: 16, unit: 'working_hours' }],
  ['15 calendar days', { amount: 15, unit: 'calendar_days' }],
];
const results = cases.map(([label, d]) => measure(label, (s) => calendar.computeDue(s, d)));
const pause = measure('extendForPause (5-day supplement)', (s) =>
  calendar.extendForPause(new Date(s.getTime() + 864_000_000), {
    start: s,
    end: new Date(s.getTime() + 432_000_000),
  }),
);

console.log(`calendar benchmark (node ${process.version}, ${starts.length} random starts 2024–2028)`);
console.log(`${'case'.padEnd(36)} ${'ops/s'.padStart(12)} ${'vs baseline'.padStart(12)}`);
for (const r of [baseline, ...results, pause]) {
  console.log(
    `${r.label.padEnd(36)} ${Math.round(r.perSecond).toLocaleString('en').padStart(12)} ${(r.perSecond / baseline.perSecond).toFixed(3).padStart(12)}`,
  );
}
