import { type Kysely, sql } from 'kysely';
import { toLocalDate } from '../../../core/calendar/vn-time.ts';
import type { DB } from '../../db/schema.ts';
import { RESULT_BOOKS } from '../documents/results/result-templates.ts';
import { createResultsRepository } from '../documents/results/results.repository.ts';
import { createDossiersRepository } from '../dossiers/dossiers.repository.ts';

/** Codes keep their four digits: a counter never moves past this, leaving a hundred for the day. */
export const RESTORE_CODE_CEILING = 9899;
/** At least this many codes per commune and day are skipped, or twice the busiest day on record. */
export const RESTORE_MIN_CODE_GAP = 1000;
/** Book numbers skipped per commune, book and year. */
export const RESTORE_BOOK_GAP = 500;

export type RestoreEpoch = {
  epoch: number;
  fromDay: string;
  toDay: string;
  codeGap: number;
  bookGap: number;
  codeCountersMoved: number;
  bookCountersMoved: number;
};

/**
 * Opens a new restore epoch on a database just restored from a backup taken at `backupTakenAt`: the
 * system that made the backup may have handed out dossier codes and book numbers after it, which the
 * backup does not know, and a citizen may hold them. Every counter that can have moved since (each
 * current commune, each day from the backup's day to today, each book and year) jumps past them, and
 * the numbers skipped are recorded as void. One transaction. See docs/adr/0004-restore-epoch.md.
 */
export async function openRestoreEpoch(
  db: Kysely<DB>,
  options: { backupTakenAt: Date; now: Date },
): Promise<RestoreEpoch> {
  const fromDay = toLocalDate(options.backupTakenAt);
  const toDay = toLocalDate(options.now);
  if (toDay < fromDay)
    throw new Error('The backup was taken after the clock of this restore: check the clock.');
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ epoch: number; busiest: number }>`
      select coalesce((select max(epoch) from restore_epoch), 0) + 1 as epoch,
             coalesce((select max(last_seq) from dossier_code_counter), 0) as busiest`.execute(trx);
    const { epoch, busiest } = rows[0] ?? { epoch: 1, busiest: 0 };
    const codeGap = Math.max(RESTORE_MIN_CODE_GAP, 2 * busiest);
    const bookGap = RESTORE_BOOK_GAP;
    await trx
      .insertInto('restore_epoch')
      .values({
        epoch,
        backup_taken_at: options.backupTakenAt,
        restored_at: options.now,
        code_gap: codeGap,
        book_gap: bookGap,
        first_day: fromDay,
        last_day: toDay,
      })
      .execute();
    const codeCountersMoved = await createDossiersRepository().skipCodesAfterRestore(trx, {
      fromDay,
      toDay,
      gap: codeGap,
      ceiling: RESTORE_CODE_CEILING,
      epoch,
    });
    const books = [...new Set(Object.values(RESULT_BOOKS).map((b) => b.book))];
    const bookCountersMoved = await createResultsRepository().skipBookNumbersAfterRestore(trx, {
      fromYear: Number(fromDay.slice(0, 4)),
      toYear: Number(toDay.slice(0, 4)),
      books,
      gap: bookGap,
      epoch,
    });
    return { epoch, fromDay, toDay, codeGap, bookGap, codeCountersMoved, bookCountersMoved };
  });
}
