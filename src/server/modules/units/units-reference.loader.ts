import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { type Insertable, type Kysely, sql } from 'kysely';
import { foldVietnamese, splitUnitName } from '../../../core/units/unit-names.ts';
import type { AdminUnitTable, DB, UnitRelation } from '../../db/schema.ts';
import { REFERENCE_DIR } from '../../paths.ts';

/** The day the two-level local government took effect. */
export const REFORM_DATE = '2025-07-01';
export const LAST_DAY_BEFORE_REFORM = '2025-06-30';

/** The app_meta marker of the loaded unit lists. */
export const UNITS_META_KEY = 'reference.admin-units';
const FILES = ['units-2025.csv', 'units-pre-2025.csv', 'merger-2025.csv'] as const;

type Row = Record<string, string>;
// Everything but the generated id and the folded names, which the database computes.
type NewUnit = Omit<Insertable<AdminUnitTable>, 'id' | 'name_folded' | 'bare_name_folded'>;
export type LoadProgress = (done: number, total: number, stage: string) => void;

async function readCsv(file: string): Promise<{ rows: Row[]; raw: string }> {
  const raw = await fs.readFile(path.join(REFERENCE_DIR, 'admin-units', file), 'utf8');
  return { rows: parse(raw, { columns: true, skip_empty_lines: true, trim: true }) as Row[], raw };
}

function typeOf(name: string, fallback: string): string {
  return splitUnitName(name).type ?? fallback.toLocaleLowerCase('vi');
}

function provinceType(name: string): string {
  return name.startsWith('Thành phố') ? 'thành phố trung ương' : 'tỉnh';
}

/** The crosswalk's wording varies ('Đổi tên…', 'Sắp xếp toàn bộ…'); map it onto the closed set. */
export function normaliseRelation(relation: string): UnitRelation {
  const known: UnitRelation[] = [
    'whole',
    'partial',
    'partial_area',
    'partial_area_whole_population',
    'unchanged',
    'type_changed',
  ];
  if ((known as string[]).includes(relation)) return relation as UnitRelation;
  const folded = foldVietnamese(relation);
  if (folded.includes('mot phan') || folded.includes('phan con lai')) return 'partial';
  if (folded.startsWith('doi ten')) return 'renamed';
  if (folded.includes('toan bo')) return 'whole';
  throw new Error(`Unknown relation in the crosswalk: ${relation}`);
}

function at(row: Row, key: string): string {
  return row[key] ?? '';
}

function unitKey(level: string, code: string, era: 'old' | 'new'): string {
  return `${era}:${level}:${code}`;
}

/** Builds every unit and succession row from the three official lists; pure apart from reading files. */
async function buildReferenceRows() {
  const [current, before, merger] = await Promise.all(FILES.map(readCsv));
  if (!current || !before || !merger) throw new Error('reference files missing');
  const version = createHash('sha256')
    .update(current.raw + before.raw + merger.raw)
    .digest('hex')
    .slice(0, 16);
  const units = new Map<string, NewUnit>();
  const add = (key: string, unit: NewUnit) => {
    if (!units.has(key)) units.set(key, unit);
  };
  const oldUnit = { valid_from: null, valid_to: LAST_DAY_BEFORE_REFORM, source: 'official' as const };
  const newUnit = { valid_from: REFORM_DATE, valid_to: null, source: 'official' as const };

  for (const r of current.rows) {
    const province = at(r, 'province_code');
    add(unitKey('province', province, 'new'), {
      code: province,
      level: 'province',
      name: at(r, 'province_name'),
      type: at(r, 'province_type'),
      province_code: province,
      province_name: at(r, 'province_name'),
      district_code: null,
      district_name: null,
      ...newUnit,
    });
    add(unitKey('commune', at(r, 'unit_code'), 'new'), {
      code: at(r, 'unit_code'),
      level: 'commune',
      name: at(r, 'unit_name'),
      type: at(r, 'unit_type'),
      province_code: province,
      province_name: at(r, 'province_name'),
      district_code: null,
      district_name: null,
      ...newUnit,
    });
  }
  for (const r of before.rows) {
    const province = at(r, 'province_code');
    const district = at(r, 'district_code');
    add(unitKey('province', province, 'old'), {
      code: province,
      level: 'province',
      name: at(r, 'province_name'),
      type: provinceType(at(r, 'province_name')),
      province_code: province,
      province_name: at(r, 'province_name'),
      district_code: null,
      district_name: null,
      ...oldUnit,
    });
    add(unitKey('district', district, 'old'), {
      code: district,
      level: 'district',
      name: at(r, 'district_name'),
      type: typeOf(at(r, 'district_name'), 'huyện'),
      province_code: province,
      province_name: at(r, 'province_name'),
      district_code: district,
      district_name: at(r, 'district_name'),
      ...oldUnit,
    });
    // Island districts without communes (e.g. Huyện Bạch Long Vĩ) are a row of their own.
    if (at(r, 'unit_code') === '') continue;
    add(unitKey('commune', at(r, 'unit_code'), 'old'), {
      code: at(r, 'unit_code'),
      level: 'commune',
      name: at(r, 'unit_name'),
      type: at(r, 'unit_type').toLocaleLowerCase('vi'),
      province_code: province,
      province_name: at(r, 'province_name'),
      district_code: district,
      district_name: at(r, 'district_name'),
      ...oldUnit,
    });
  }

  const successions: { oldKey: string; newKey: string; relation: UnitRelation; note: string }[] = [];
  const provinceLinks = new Map<string, Set<string>>();
  for (const r of merger.rows) {
    const oldCode = at(r, 'old_unit_code');
    const oldProvince = at(r, 'old_province_code');
    const oldKey = oldCode
      ? unitKey('commune', oldCode, 'old')
      : unitKey('district', at(r, 'old_district_code'), 'old');
    // A few communes were created between the list's date and the reform: known only from here.
    if (oldCode && !units.has(oldKey)) {
      add(oldKey, {
        code: oldCode,
        level: 'commune',
        name: at(r, 'old_unit_name'),
        type: typeOf(at(r, 'old_unit_name'), 'xã'),
        province_code: oldProvince,
        province_name: at(r, 'old_province_name'),
        district_code: at(r, 'old_district_code') || null,
        district_name: at(r, 'old_district_name') || null,
        ...oldUnit,
        source: 'crosswalk',
      });
    }
    successions.push({
      oldKey,
      newKey: unitKey('commune', at(r, 'new_unit_code'), 'new'),
      relation: normaliseRelation(at(r, 'relation')),
      note: at(r, 'note_vi'),
    });
    const links = provinceLinks.get(oldProvince) ?? new Set<string>();
    links.add(at(r, 'province_code'));
    provinceLinks.set(oldProvince, links);
  }
  for (const [oldProvince, newProvinces] of provinceLinks) {
    for (const newProvince of newProvinces) {
      successions.push({
        oldKey: unitKey('province', oldProvince, 'old'),
        newKey: unitKey('province', newProvince, 'new'),
        relation: newProvinces.size === 1 ? 'whole' : 'partial',
        note: '',
      });
    }
  }
  return { version, units, successions };
}

async function inBatches<T>(items: T[], size: number, run: (batch: T[]) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await run(items.slice(i, i + size));
}

/**
 * Loads the official unit lists once, in one transaction (a crash leaves nothing half-loaded).
 * Returns false when they were already loaded.
 */
export async function loadReferenceUnits(db: Kysely<DB>, onProgress?: LoadProgress): Promise<boolean> {
  const existing = await db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', UNITS_META_KEY)
    .executeTakeFirst();
  if (existing) return false;
  const { version, units, successions } = await buildReferenceRows();
  const total = units.size + successions.length;
  let done = 0;
  await db.transaction().execute(async (trx) => {
    const ids = new Map<string, number>();
    const entries = [...units.entries()];
    await inBatches(entries, 1000, async (batch) => {
      const inserted = await trx
        .insertInto('admin_unit')
        .values(
          batch.map(([, u]) => ({
            ...u,
            name_folded: sql<string>`vn_fold(${u.name})`,
            bare_name_folded: sql<string>`vn_fold(${splitUnitName(u.name).bare})`,
          })),
        )
        .returning('id')
        .execute();
      batch.forEach(([key], i) => {
        const row = inserted[i];
        if (row) ids.set(key, row.id);
      });
      done += batch.length;
      onProgress?.(done, total, 'units');
    });
    const idOf = (key: string) => {
      const id = ids.get(key);
      if (id === undefined) throw new Error(`Crosswalk names an unknown unit ${key}`);
      return id;
    };
    await inBatches(successions, 2000, async (batch) => {
      await trx
        .insertInto('unit_succession')
        .values(
          batch.map((s) => ({
            old_unit_id: idOf(s.oldKey),
            new_unit_id: idOf(s.newKey),
            relation: s.relation,
            note_vi: s.note,
          })),
        )
        // An old unit listed twice under one new unit (area and population rows) is one link.
        .onConflict((oc) => oc.columns(['old_unit_id', 'new_unit_id']).doNothing())
        .execute();
      done += batch.length;
      onProgress?.(done, total, 'crosswalk');
    });
    await trx
      .insertInto('app_meta')
      .values({ key: UNITS_META_KEY, value: JSON.stringify({ version, loadedAt: new Date().toISOString() }) })
      .execute();
  });
  // Fresh statistics now, not whenever autovacuum gets to it: without them the planner picks
  // sequential scans for the unit joins and every lookup is ten times slower.
  await sql`analyze admin_unit`.execute(db);
  await sql`analyze unit_succession`.execute(db);
  return true;
}
