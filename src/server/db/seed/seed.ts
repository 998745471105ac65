import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { loadReferenceProcedures, PROCEDURES_META_KEY } from '../../modules/catalog/catalog.service.ts';
import type { FileStore } from '../../modules/documents/file-store.ts';
import { loadReferenceUnits, UNITS_META_KEY } from '../../modules/units/units-reference.loader.ts';
import { REFERENCE_DIR } from '../../paths.ts';
import type { DB } from '../schema.ts';
import { DEMO_META_KEY, loadDemoData } from './demo-data.ts';
import { demoHistoryPlan, generateHistory } from './demo-history.ts';

export type SeedProgress = (stage: string, progress: number) => void;

export type SeedOptions = {
  demo: boolean;
  /** The demo's months of generated dossiers (npm start; the tests load only what they need). */
  history?: boolean;
  onProgress?: SeedProgress;
  /** Where the demo's signed results are stored. */
  files: FileStore;
  /** Protects the demo seals' keys (the server's seal passphrase). */
  sealPassphrase: string;
  /** Where the demo results' QR codes point. */
  publicUrl: string;
  /** The instant the demo is dated from (the tests pin it; the real time by default). */
  now?: Date;
};

const SCHEDULES_KEY = 'reference.official-schedules';

type ScheduleFile = {
  entries: { date: string; kind: 'day_off' | 'working_day'; holiday: string; note: string }[];
};

/** The confirmed national schedules shipped in reference/holidays, loaded once. */
export async function loadOfficialSchedules(db: Kysely<DB>): Promise<boolean> {
  const key = SCHEDULES_KEY;
  if (await db.selectFrom('app_meta').select('key').where('key', '=', key).executeTakeFirst()) return false;
  const file = JSON.parse(
    await fs.readFile(path.join(REFERENCE_DIR, 'holidays', 'official-schedules.json'), 'utf8'),
  ) as ScheduleFile;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('holiday_schedule_entry')
      .values(file.entries.map((e) => ({ ...e, province_code: null, created_by: null })))
      .execute();
    await trx
      .insertInto('app_meta')
      .values({ key, value: JSON.stringify({ entries: file.entries.length }) })
      .execute();
  });
  return true;
}

const HISTORY_KEY = 'demo.history.v1';

/** Whether seedDatabase has work to do (a first start), read from the markers each step leaves. */
export async function seedPending(db: Kysely<DB>, options: Pick<SeedOptions, 'demo' | 'history'>) {
  const needed = [UNITS_META_KEY, SCHEDULES_KEY, PROCEDURES_META_KEY];
  if (options.demo) needed.push(DEMO_META_KEY);
  if (options.demo && options.history) needed.push(HISTORY_KEY);
  const present = await db.selectFrom('app_meta').select('key').where('key', 'in', needed).execute();
  return present.length < needed.length;
}

/** Loads what a fresh database needs: reference units, official schedules and, unless disabled, the demo. */
export async function seedDatabase(db: Kysely<DB>, options: SeedOptions) {
  const report = options.onProgress ?? (() => {});
  // Each step checks whether it already ran, and reports only when it does work: a second start is quiet.
  await loadReferenceUnits(db, (done, total) => report('units', (done / total) * 0.9));
  if (await loadOfficialSchedules(db)) report('holidays', 0.92);
  if (await loadReferenceProcedures(db)) report('procedures', 0.94);
  if (options.demo && (await loadDemoData(db, options))) report('demo', 0.9);
  if (options.demo && options.history) await loadDemoHistory(db, options, report);
}

/** The demo history, once (a start interrupted half-way starts it again from a clean slate). */
async function loadDemoHistory(db: Kysely<DB>, options: SeedOptions, report: SeedProgress) {
  if (await db.selectFrom('app_meta').select('key').where('key', '=', HISTORY_KEY).executeTakeFirst()) return;
  const now = options.now ?? new Date();
  const plan = demoHistoryPlan(now);
  const count = await generateHistory(db, plan, {
    files: options.files,
    now,
    onProgress: (fraction) => report('history', 0.9 + fraction * 0.09),
  });
  await db
    .insertInto('app_meta')
    .values({ key: HISTORY_KEY, value: JSON.stringify({ dossiers: count, from: plan.from, to: plan.to }) })
    .execute();
  report('history', 0.99);
}
