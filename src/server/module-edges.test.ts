import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_SOURCE_DIR } from './paths.ts';

/**
 * A module owns its tables; another module asks through its service, never its SQL (house style). This
 * reads every server source file for the tables it names in a query (Kysely's selectFrom, insertInto,
 * updateTable, deleteFrom, joins; `from`/`join`/`into`/`update` in raw SQL) and fails on a table of
 * another module. The seed and the commands load and check the whole database and are left out.
 */
const OWNERS: Record<string, string[]> = {
  units: ['admin_unit', 'unit_succession', 'village', 'village_name'],
  calendar: ['holiday_schedule_entry', 'unit_office_hours'],
  identity: ['staff_account', 'staff_session'],
  audit: ['audit_log', 'audit_chain_head'],
  catalog: ['procedure_version'],
  dossiers: ['dossier', 'dossier_event', 'dossier_code_counter', 'dossier_rating', 'number_void'],
  documents: ['stored_file', 'document', 'document_number_counter', 'result_issue', 'store_consent'],
  signing: ['certificate_authority', 'signing_credential'],
  citizens: ['citizen_account', 'citizen_session', 'citizen_draft'],
  reports: ['report_schedule', 'report_file'],
  stats: ['stats_day', 'stats_day_procedure', 'stats_month'],
  backup: ['restore_epoch'],
  kernel: ['idempotency_key', 'app_meta'],
  jobs: ['job'],
  notifications: ['notification', 'dev_message'],
};
/** Every module may mark what it loaded once (the app_meta markers). */
const SHARED = new Set(['app_meta']);

/**
 * The crossings that were there when the check came (issue 14): each goes when its module asks the
 * owner's service instead. The list may only shrink: a crossing that is gone must leave it too.
 */
const KNOWN_CROSSINGS = [
  'modules/backup/restore-epoch.ts → dossier_code_counter',
  'modules/citizens/citizens.service.ts → procedure_version',
  'modules/documents/documents.repository.ts → staff_account',
  'modules/documents/results/results.repository.ts → admin_unit',
  'modules/documents/results/results.repository.ts → number_void',
  'modules/dossiers/dossiers.repository.ts → admin_unit',
  'modules/identity/identity.service.ts → admin_unit',
  'modules/stats/stats-rebuild.ts → document',
  'modules/stats/stats-rebuild.ts → dossier',
  'modules/stats/stats-rebuild.ts → dossier_rating',
  'modules/stats/stats-rebuild.ts → result_issue',
  'modules/stats/stats.service.ts → admin_unit',
  'modules/stats/stats.service.ts → dossier',
  'modules/stats/stats.service.ts → procedure_version',
];

const ownerOf = new Map(Object.entries(OWNERS).flatMap(([m, tables]) => tables.map((t) => [t, m] as const)));
const LEFT_OUT = ['db', 'commands', 'test-support'];

function moduleOf(relative: string): string | null {
  const [top, second] = relative.split('/');
  if (!top || LEFT_OUT.includes(top)) return null;
  if (top === 'modules') return second ?? null;
  return top.endsWith('.ts') ? '(app)' : top;
}

function crossings(): string[] {
  const found = new Set<string>();
  const files = fs
    .readdirSync(SERVER_SOURCE_DIR, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'));
  for (const entry of files) {
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(SERVER_SOURCE_DIR, full).split(path.sep).join('/');
    const module = moduleOf(relative);
    if (!module) continue;
    const text = fs.readFileSync(full, 'utf8');
    const named = [
      ...text.matchAll(
        /(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*'(\w+)/g,
      ),
      ...text.matchAll(/\b(?:from|join|into|update)\s+(\w+)/g),
    ].map((m) => m[1] as string);
    for (const table of named) {
      const owner = ownerOf.get(table);
      if (owner && owner !== module && !SHARED.has(table)) found.add(`${relative} → ${table}`);
    }
  }
  return [...found].sort();
}

describe('module edges', () => {
  it('every table has one owner, and no module queries another module’s tables beyond the known list', () => {
    const owned = Object.values(OWNERS).flat();
    expect(new Set(owned).size).toBe(owned.length);
    const schema = fs.readFileSync(path.join(SERVER_SOURCE_DIR, 'db', 'schema.ts'), 'utf8');
    const declared = [...schema.matchAll(/^ {2}(\w+): \w+Table;$/gm)].map((m) => m[1] as string);
    expect(declared.length).toBeGreaterThan(30);
    expect(declared.filter((t) => !ownerOf.has(t))).toEqual([]);
    // And every owned table exists: in the query layer's types, or (the rollups) in a migration.
    const migrations = fs
      .readdirSync(path.join(SERVER_SOURCE_DIR, 'db', 'migrations'))
      .map((f) => fs.readFileSync(path.join(SERVER_SOURCE_DIR, 'db', 'migrations', f), 'utf8'))
      .join('\n');
    const created = new Set(
      [...migrations.matchAll(/create table (?:if not exists )?(\w+)/g)].map((m) => m[1]),
    );
    expect(owned.filter((t) => !declared.includes(t) && !created.has(t))).toEqual([]);
    expect(crossings()).toEqual([...KNOWN_CROSSINGS].sort());
  });
});
