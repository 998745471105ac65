import type { NormalizedRules } from './calendar-rules.ts';
import { MS_PER_DAY } from './vn-time.ts';
import { buildYearTable, type YearTable } from './year-table.ts';

// A calendar where no working day comes within a year is a broken configuration, not a long wait.
const MAX_SEARCH_DAYS = 366;

/** Answers "is this local day a working day?" from per-year tables built lazily and cached. */
export class WorkingDayIndex {
  private readonly rules: NormalizedRules;
  private readonly years = new Map<number, YearTable>();
  // Consecutive lookups nearly always hit the same year; skip the Map and the year arithmetic.
  private last: YearTable | undefined;

  constructor(rules: NormalizedRules) {
    this.rules = rules;
  }

  tableOfYear(year: number): YearTable {
    let table = this.years.get(year);
    if (!table) {
      table = buildYearTable(year, this.rules);
      this.years.set(year, table);
    }
    return table;
  }

  tableOfDay(day: number): YearTable {
    const last = this.last;
    if (last && day >= last.firstDay && day < last.endDay) return last;
    const table = this.tableOfYear(new Date(day * MS_PER_DAY).getUTCFullYear());
    this.last = table;
    return table;
  }

  isWorking(day: number): boolean {
    const table = this.tableOfDay(day);
    return table.working[day - table.firstDay] === 1;
  }

  /** The first working day on or after `day`. */
  firstWorkingDayFrom(day: number): number {
    for (let d = day; d <= day + MAX_SEARCH_DAYS; d++) if (this.isWorking(d)) return d;
    throw new Error(`Work calendar: no working day within ${MAX_SEARCH_DAYS} days from day ${day}`);
  }

  /** The first working day strictly after `day`. */
  nextWorkingDay(day: number): number {
    return this.firstWorkingDayFrom(day + 1);
  }

  /** Number of working days in [from, to). */
  countWorkingDays(from: number, to: number): number {
    let count = 0;
    let day = from;
    while (day < to) {
      const table = this.tableOfDay(day);
      if (day === table.firstDay && table.endDay <= to) {
        count += table.workingDayCount;
        day = table.endDay;
        continue;
      }
      const stop = Math.min(to, table.endDay);
      for (; day < stop; day++) count += table.working[day - table.firstDay] ?? 0;
    }
    return count;
  }
}
