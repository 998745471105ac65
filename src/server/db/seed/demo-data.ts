import { hash } from '@node-rs/argon2';
import type { Kysely, Transaction } from 'kysely';
import { ROLE_TITLES_VI, type StaffRole } from '../../../core/identity/roles.ts';
import type { FileStore } from '../../modules/documents/file-store.ts';
import { seedDemoPki } from '../../modules/signing/demo-pki.ts';
import { createVillagesRepository } from '../../modules/units/villages.repository.ts';
import type { DB } from '../schema.ts';
import { seedDemoDossiers } from './demo-dossiers.ts';

/** Every demo account shares this password; the README lists the accounts. Never use it in production. */
export const DEMO_PASSWORD = 'MotCua@2025';

/** The demo communes: the field reports' own places. */
export const DEMO_COMMUNES = [
  { code: '30502', name: 'Phường Thới Sơn', province: '91' },
  { code: '30112', name: 'Xã Mỹ Hiệp', province: '82' },
  { code: '01279', name: 'Phường Nùng Trí Cao', province: '04' },
  { code: '01288', name: 'Phường Tân Giang', province: '04' },
  { code: '23095', name: 'Xã Hàm Liêm', province: '68' },
] as const;

const DEMO_PROVINCES = [
  { code: '91', name: 'An Giang' },
  { code: '82', name: 'Đồng Tháp' },
  { code: '04', name: 'Cao Bằng' },
  { code: '68', name: 'Lâm Đồng' },
] as const;

/** Commune roles and the user-name prefix of their demo accounts: `reception.30502` and so on. */
const COMMUNE_ROLES: { role: StaffRole; prefix: string }[] = [
  { role: 'reception_officer', prefix: 'reception' },
  { role: 'specialist', prefix: 'specialist' },
  { role: 'department_head', prefix: 'head' },
  { role: 'commune_leader', prefix: 'leader' },
  { role: 'centre_director', prefix: 'director' },
  { role: 'commune_admin', prefix: 'admin' },
  { role: 'support_volunteer', prefix: 'volunteer' },
];

export type DemoAccount = { username: string; role: StaffRole; unitCode: string; fullName: string };

export function listDemoAccounts(): DemoAccount[] {
  const accounts: DemoAccount[] = [
    { username: 'sysadmin', role: 'system_admin', unitCode: 'VN', fullName: 'Quản trị hệ thống' },
    { username: 'ministry', role: 'ministry_viewer', unitCode: 'VN', fullName: 'Cán bộ Bộ Nội vụ' },
  ];
  for (const p of DEMO_PROVINCES) {
    accounts.push({
      username: `province.${p.code}`,
      role: 'province_admin',
      unitCode: p.code,
      fullName: `Quản trị tỉnh ${p.name}`,
    });
    accounts.push({
      username: `inspector.${p.code}`,
      role: 'province_inspector',
      unitCode: p.code,
      fullName: `Thanh tra tỉnh ${p.name}`,
    });
  }
  for (const c of DEMO_COMMUNES) {
    for (const r of COMMUNE_ROLES) {
      accounts.push({
        username: `${r.prefix}.${c.code}`,
        role: r.role,
        unitCode: c.code,
        fullName: `${ROLE_TITLES_VI[r.role]} ${c.name}`,
      });
    }
  }
  return accounts;
}

/**
 * Demo villages: each predecessor of a demo commune contributes its groups, and the villages of communes
 * that became wards are renamed to residential groups from 1 September 2025, as the field reports describe.
 */
async function seedDemoVillages(db: Transaction<DB>) {
  const villages = createVillagesRepository(db);
  for (const commune of DEMO_COMMUNES) {
    const predecessors = await db
      .selectFrom('unit_succession as s')
      .innerJoin('admin_unit as o', 'o.id', 's.old_unit_id')
      .innerJoin('admin_unit as n', 'n.id', 's.new_unit_id')
      .where('n.code', '=', commune.code)
      .where('n.valid_to', 'is', null)
      .where('o.level', '=', 'commune')
      .select(['o.code', 'o.name', 'o.type'])
      .orderBy('o.code')
      .execute();
    const isWard = commune.name.startsWith('Phường');
    for (const old of predecessors) {
      const oldIsWard = old.type === 'phường' || old.type === 'thị trấn';
      for (let i = 1; i <= 3; i++) {
        const kind = oldIsWard ? 'tổ dân phố' : 'thôn';
        const name = oldIsWard
          ? `Tổ dân phố ${i} ${old.name.replace(/^(Phường|Thị trấn) /, '')}`
          : `Thôn ${i} ${old.name.replace(/^Xã /, '')}`;
        const id = await villages.insertVillage(db, {
          communeCode: commune.code,
          oldCommuneCode: old.code,
          kind,
          name,
          validFrom: '2000-01-01',
        });
        if (isWard && !oldIsWard) {
          await villages.renameVillage(
            db,
            id,
            `Tổ dân phố ${old.name.replace(/^Xã /, '')} ${i}`,
            '2025-09-01',
          );
          await db.updateTable('village').set({ kind: 'tổ dân phố' }).where('id', '=', id).execute();
        }
      }
    }
  }
}

/** The app_meta marker of the loaded demo (its third version). */
export const DEMO_META_KEY = 'demo.v3';

export type DemoSeedOptions = { files: FileStore; sealPassphrase: string; publicUrl: string; now?: Date };

/**
 * The demo authority, a seal per demo commune and a certificate for each commune leader (the officer
 * who signs results), issued 90 days back so that the demo's older dossiers were signed within validity.
 */
async function seedDemoCertificates(db: Kysely<DB>, sealPassphrase: string, now: Date) {
  const leaders = await db
    .selectFrom('staff_account')
    .select(['id', 'username', 'full_name', 'unit_code'])
    .where('role', '=', 'commune_leader')
    .where(
      'unit_code',
      'in',
      DEMO_COMMUNES.map((c) => c.code),
    )
    .execute();
  const communes = await Promise.all(
    DEMO_COMMUNES.map(async (c) => {
      const unit = await db
        .selectFrom('admin_unit')
        .select(['name', 'province_name'])
        .where('code', '=', c.code)
        .where('valid_to', 'is', null)
        .executeTakeFirstOrThrow();
      return { code: c.code, name: unit.name, provinceName: unit.province_name };
    }),
  );
  await seedDemoPki(db, {
    sealPassphrase,
    now: new Date(now.getTime() - 90 * 86_400_000),
    communes,
    officers: leaders.map((l) => ({
      id: l.id,
      username: l.username,
      fullName: l.full_name,
      unitCode: l.unit_code,
    })),
  });
}

/**
 * Loads the demo once: accounts and villages, then dossiers in every status. Each part checks what is
 * there, so a start interrupted half-way (or a data folder from before the dossiers) completes on the next.
 */
export async function loadDemoData(db: Kysely<DB>, options: DemoSeedOptions): Promise<boolean> {
  const meta = await db
    .selectFrom('app_meta')
    .select('key')
    .where('key', 'in', ['demo', 'demo.v2', DEMO_META_KEY])
    .execute();
  if (meta.some((m) => m.key === DEMO_META_KEY)) return false;
  // Earlier demo versions loaded the villages already (v3 added the certificates and signed results).
  const villagesLoaded = meta.some((m) => m.key === 'demo' || m.key === 'demo.v2');
  // One hash for all demo accounts: they share the published demo password anyway.
  const passwordHash = await hash(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('staff_account')
      .values(
        listDemoAccounts().map((a) => ({
          username: a.username,
          password_hash: passwordHash,
          full_name: a.fullName,
          role: a.role,
          unit_code: a.unitCode,
        })),
      )
      .onConflict((oc) => oc.column('username').doNothing())
      .execute();
    if (!villagesLoaded) await seedDemoVillages(trx);
  });
  // Through the real services, each write in its own transaction, as the counter would have done it.
  const now = options.now ?? new Date();
  await seedDemoCertificates(db, options.sealPassphrase, now);
  const existing = await db.selectFrom('dossier').select('id').limit(1).executeTakeFirst();
  if (!existing) await seedDemoDossiers(db, options, now);
  await db
    .insertInto('app_meta')
    .values({ key: DEMO_META_KEY, value: JSON.stringify({ loadedAt: now.toISOString() }) })
    .execute();
  return true;
}
