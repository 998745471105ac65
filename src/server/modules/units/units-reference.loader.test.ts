import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldVietnamese, splitUnitName } from '../../../core/units/unit-names.ts';
import type { Database } from '../../db/connection.ts';
import { openTestDatabase } from '../../test-support/test-database.ts';
import { loadReferenceUnits, normaliseRelation } from './units-reference.loader.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

describe('reference unit loading', () => {
  it('does not load twice', async () => {
    expect(await loadReferenceUnits(database.db)).toBe(false);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from admin_unit`.execute(database.db);
    expect(rows[0]?.n).toBe(34 + 3321 + 63 + 696 + 10051 + 10);
  });

  it('folds every name in the database exactly as the app folds it (unaccent = NFD strip)', async () => {
    const rows = await database.db
      .selectFrom('admin_unit')
      .select(['name', 'name_folded', 'bare_name_folded'])
      .execute();
    const mismatches = rows.filter(
      (r) =>
        foldVietnamese(r.name) !== r.name_folded ||
        foldVietnamese(splitUnitName(r.name).bare) !== r.bare_name_folded,
    );
    expect(mismatches).toEqual([]);
  });

  it('maps the crosswalk wording onto the closed set of relations', () => {
    expect(normaliseRelation('whole')).toBe('whole');
    expect(normaliseRelation('Nhâp một phần diện tích')).toBe('partial');
    expect(normaliseRelation('Đổi tên')).toBe('renamed');
    expect(normaliseRelation('Đổi tên từ một phần Phường 15')).toBe('partial');
    expect(normaliseRelation('Sắp xếp toàn bộ huyện Côn Đảo thành đặc khu Côn Đảo')).toBe('whole');
    expect(() => normaliseRelation('something else')).toThrow('Unknown relation');
  });

  it('links the island district that became a special zone', async () => {
    const rows = await database.db
      .selectFrom('unit_succession as s')
      .innerJoin('admin_unit as o', 'o.id', 's.old_unit_id')
      .innerJoin('admin_unit as n', 'n.id', 's.new_unit_id')
      .where('n.name', '=', 'Đặc khu Bạch Long Vĩ')
      .select(['o.name', 'o.level', 's.relation'])
      .execute();
    expect(rows).toEqual([{ name: 'Huyện Bạch Long Vĩ', level: 'district', relation: 'whole' }]);
  });
});
