import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Duration } from '../calendar/schemas.ts';
import { ProcedureDefinition, type ProcedureField } from './procedure.schemas.ts';

const FILE = new URL('../../../reference/procedures/procedures.json', import.meta.url);
const raw = readFileSync(FILE, 'utf8');
const data = JSON.parse(raw) as { source: string; ruleVersion: string; procedures: unknown[] };
const procedures = data.procedures.map((p) => ProcedureDefinition.parse(p));
const byCode = new Map(procedures.map((p) => [p.code, p]));

const get = (code: string) => {
  const p = byCode.get(code);
  if (!p) throw new Error(`procedure ${code} is missing from the reference list`);
  return p;
};

/** Working hours a duration gives (1 working day = 8 h; a same-day procedure has one day). */
const hoursOf = (d: Duration) => {
  if (d.unit === 'same_day') return 8;
  if (d.unit === 'working_hours') return d.amount;
  return d.amount * 8;
};

// Minimum per field. Environment has one commune-level procedure whose national code could be
// confirmed (1.010736); raise it to 2 once "Đăng ký môi trường" (Điều 49 Luật Bảo vệ môi trường) is
// added with its verified code.
const MIN_PER_FIELD: Partial<Record<ProcedureField, number>> = {
  civil_status: 2,
  certification: 2,
  residence: 2,
  business_household: 2,
  social_protection: 2,
  land: 2,
  environment: 1,
};

describe('reference list of commune procedures (reference/procedures/procedures.json)', () => {
  it('is UTF-8 JSON with 2-space indentation and names the rule version', () => {
    expect(raw).toBe(`${JSON.stringify(data, null, 2)}\n`);
    expect(raw.normalize('NFC')).toBe(raw);
    expect(data.ruleVersion).toBe('Nghị định 118/2025/NĐ-CP');
    expect(data.source.length).toBeGreaterThan(0);
  });

  it('parses every procedure with the ProcedureDefinition schema', () => {
    for (const item of data.procedures) {
      const result = ProcedureDefinition.safeParse(item);
      expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    }
  });

  it('has at least 25 procedures, unique codes, all at commune level', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(25);
    expect(byCode.size).toBe(procedures.length);
    for (const p of procedures) expect(p.competentLevel, p.code).toBe('commune');
  });

  it('covers the commune fields', () => {
    const count = new Map<ProcedureField, number>();
    for (const p of procedures) count.set(p.field, (count.get(p.field) ?? 0) + 1);
    for (const [field, min] of Object.entries(MIN_PER_FIELD)) {
      expect(count.get(field as ProcedureField) ?? 0, field).toBeGreaterThanOrEqual(min);
    }
  });

  it('keeps the statutory durations of domain.md', () => {
    // Birth, marriage and death registration: same day (marriage up to 5, death up to 3 working days with verification).
    expect(get('1.001193').duration.unit).toBe('same_day');
    expect(get('1.000894').duration.unit).toBe('same_day');
    expect(get('1.000894').durationNote).toMatch(/05 ngày làm việc/);
    expect(get('1.000656').duration.unit).toBe('same_day');
    expect(get('1.000656').durationNote).toMatch(/03 ngày làm việc/);
    // Certification of copies and of signatures: same day; contracts and transactions: 2 working days.
    expect(get('2.000815').duration.unit).toBe('same_day');
    expect(get('2.000884').duration.unit).toBe('same_day');
    expect(get('2.001035').duration).toEqual({ amount: 2, unit: 'working_days' });
    expect(get('2.000913').duration).toEqual({ amount: 2, unit: 'working_days' });
    // Permanent residence 7, temporary residence 3 working days, at the commune police.
    expect(get('1.004222').duration).toEqual({ amount: 7, unit: 'working_days' });
    expect(get('1.004194').duration).toEqual({ amount: 3, unit: 'working_days' });
    expect(get('1.004222').competentAgency).toBe('Công an cấp xã');
    expect(get('1.004194').competentAgency).toBe('Công an cấp xã');
    // Business household registration 3 working days; monthly social assistance 10 working days.
    expect(get('1.001612').duration).toEqual({ amount: 3, unit: 'working_days' });
    expect(get('1.001776').duration).toEqual({ amount: 10, unit: 'working_days' });
    // First land registration: longer, with the land registry office as the other agency.
    const land = get('1.013978');
    expect(land.duration.unit).toBe('working_days');
    expect(land.duration.amount).toBeGreaterThan(10);
    expect(land.interAgency?.agency).toMatch(/Văn phòng đăng ký đất đai/);
  });

  it('fits the step budgets (and the inter-agency sub-deadline) within the duration', () => {
    for (const p of procedures) {
      const steps = p.steps.reduce((sum, s) => sum + s.budgetHours, 0);
      const inter = (p.interAgency?.budgetDays ?? 0) * 8;
      expect(steps + inter, p.code).toBeLessThanOrEqual(hoursOf(p.duration));
    }
  });

  it('states a VNeID level exactly for the procedures offered online', () => {
    for (const p of procedures) {
      expect(p.vneidLevel === null, p.code).toBe(p.onlineLevel === 'none');
    }
  });
});
