import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test-support/test-database.ts';
import {
  openRestoreEpoch,
  RESTORE_BOOK_GAP,
  RESTORE_CODE_CEILING,
  RESTORE_MIN_CODE_GAP,
} from './restore-epoch.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

describe('the restore epoch', () => {
  it('moves every commune counter of every day since the backup past what may have been issued, and records the voids', async () => {
    const db = database.db;
    await db.deleteFrom('dossier_code_counter').where('day', '>=', '2026-03-01').execute();
    await db
      .insertInto('dossier_code_counter')
      .values([
        { unit_code: '30502', day: '2026-03-02', last_seq: 37 },
        { unit_code: '30112', day: '2026-03-03', last_seq: 9500 },
      ])
      .execute();
    await db
      .insertInto('document_number_counter')
      .values({ unit_code: '30502', book: 'TLKS', year: 2026, last_number: 120 })
      .onConflict((oc) => oc.columns(['unit_code', 'book', 'year']).doUpdateSet({ last_number: 120 }))
      .execute();
    const busiest = (
      await db
        .selectFrom('dossier_code_counter')
        .select((eb) => eb.fn.max('last_seq').as('m'))
        .executeTakeFirst()
    )?.m as number;

    // Backup at 08:00 on Monday 2 March (Vietnam), restore on Wednesday 4 March at 17:00.
    const epoch = await openRestoreEpoch(db, {
      backupTakenAt: new Date('2026-03-02T01:00:00Z'),
      now: new Date('2026-03-04T10:00:00Z'),
    });
    expect(epoch).toMatchObject({
      epoch: 1,
      fromDay: '2026-03-02',
      toDay: '2026-03-04',
      bookGap: RESTORE_BOOK_GAP,
    });
    expect(epoch.codeGap).toBe(Math.max(RESTORE_MIN_CODE_GAP, 2 * busiest));

    const counters = await db
      .selectFrom('dossier_code_counter')
      .select(['unit_code', 'day', 'last_seq'])
      .where('unit_code', 'in', ['30502', '30112'])
      .where('day', '>=', '2026-03-01')
      .orderBy('unit_code')
      .orderBy('day')
      .execute();
    const gap = Math.min(epoch.codeGap, RESTORE_CODE_CEILING);
    expect(counters).toEqual([
      { unit_code: '30112', day: '2026-03-02', last_seq: gap },
      { unit_code: '30112', day: '2026-03-03', last_seq: RESTORE_CODE_CEILING },
      { unit_code: '30112', day: '2026-03-04', last_seq: gap },
      { unit_code: '30502', day: '2026-03-02', last_seq: Math.min(37 + epoch.codeGap, RESTORE_CODE_CEILING) },
      { unit_code: '30502', day: '2026-03-03', last_seq: gap },
      { unit_code: '30502', day: '2026-03-04', last_seq: gap },
    ]);
    const voids = await db
      .selectFrom('number_void')
      .select(['kind', 'scope', 'from_seq', 'to_seq', 'epoch'])
      .where('unit_code', '=', '30502')
      .orderBy('kind')
      .orderBy('scope')
      .execute();
    expect(voids.filter((v) => v.kind === 'dossier_code')).toEqual([
      {
        kind: 'dossier_code',
        scope: '2026-03-02',
        from_seq: 38,
        to_seq: Math.min(37 + epoch.codeGap, RESTORE_CODE_CEILING),
        epoch: 1,
      },
      { kind: 'dossier_code', scope: '2026-03-03', from_seq: 1, to_seq: gap, epoch: 1 },
      { kind: 'dossier_code', scope: '2026-03-04', from_seq: 1, to_seq: gap, epoch: 1 },
    ]);
    expect(voids).toContainEqual({
      kind: 'book_number',
      scope: 'TLKS/2026',
      from_seq: 121,
      to_seq: 620,
      epoch: 1,
    });
    const book = await db
      .selectFrom('document_number_counter')
      .select('last_number')
      .where('unit_code', '=', '30502')
      .where('book', '=', 'TLKS')
      .where('year', '=', 2026)
      .executeTakeFirstOrThrow();
    expect(book.last_number).toBe(120 + RESTORE_BOOK_GAP);
    // Every current commune moved, not only those that had numbered: a commune may have started after the backup.
    const communes = await db
      .selectFrom('dossier_code_counter')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('day', '=', '2026-03-03')
      .executeTakeFirstOrThrow();
    expect(Number(communes.n)).toBeGreaterThan(3000);

    const second = await openRestoreEpoch(db, {
      backupTakenAt: new Date('2026-03-04T02:00:00Z'),
      now: new Date('2026-03-04T03:00:00Z'),
    });
    expect(second.epoch).toBe(2);
  });

  it('refuses a backup that claims to be newer than the restore clock', async () => {
    await expect(
      openRestoreEpoch(database.db, {
        backupTakenAt: new Date('2026-05-02T01:00:00Z'),
        now: new Date('2026-05-01T01:00:00Z'),
      }),
    ).rejects.toThrow(/check the clock/);
  });
});
