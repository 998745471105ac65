import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { migrate } from '../../db/migrator.ts';
import { PROJECT_ROOT } from '../../paths.ts';
import { intakeBody, postIntake } from '../../test-support/dossier-helpers.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { canonicalJson, canonicalJsonParts, recordAudit, verifyAuditChains } from './audit.service.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** The append-only triggers stop ordinary edits; an attacker with superuser rights can switch them off. */
async function asSuperuser(run: () => Promise<unknown>) {
  await sql`alter table audit_log disable trigger audit_log_append_only`.execute(ctx.database.db);
  try {
    await run();
  } finally {
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(ctx.database.db);
  }
}

describe('the audit log', () => {
  it('records every write with who, what, from where and the state before and after, hash-chained', async () => {
    const reception = await ctx.login('reception.30502');
    const created = await postIntake(ctx.app, reception, intakeBody(), 'audit-test-key-1');
    const id = created.json().id;
    await ctx.app.inject({ url: `/api/dossiers/${id}`, headers: { ...reception, 'user-agent': 'Quầy 1' } });
    const rows = await ctx.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'dossier')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['dossier.intake', 'dossier.read']);
    expect(rows[0]).toMatchObject({ chain: '30502', ip: '127.0.0.1', unit_code: '30502' });
    expect(rows[0]?.details).toMatchObject({ after: { state: 'received', statusCode: 2 } });
    expect(rows[1]?.user_agent).toBe('Quầy 1');
    // Nothing else happened in the commune in between: the read is chained right after the intake.
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    expect(rows[1]?.seq).toBe(Number(rows[0]?.seq) + 1);
    expect(await verifyAuditChains(ctx.database.db)).toMatchObject({ ok: true, problems: [] });
  });

  it('keeps the chain whole when many reads are audited at once', async () => {
    const reception = await ctx.login('reception.30502');
    const id = (await postIntake(ctx.app, reception, intakeBody())).json().id;
    const reads = await Promise.all(
      Array.from({ length: 30 }, () => ctx.app.inject({ url: `/api/dossiers/${id}`, headers: reception })),
    );
    expect(reads.every((r) => r.statusCode === 200)).toBe(true);
    const entries = await ctx.database.db
      .selectFrom('audit_log')
      .select(['seq', 'prev_hash', 'hash'])
      .where('chain', '=', '30502')
      .orderBy('seq')
      .execute();
    // Each entry chains onto the one before it: no two share a predecessor.
    expect(new Set(entries.map((e) => e.prev_hash)).size).toBe(entries.length);
    expect(await verifyAuditChains(ctx.database.db)).toMatchObject({ ok: true, problems: [] });
  });

  it('refuses ordinary edits and deletions of past entries and events', async () => {
    await expect(
      sql`update audit_log set action = 'x' where id = (select min(id) from audit_log)`.execute(
        ctx.database.db,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from dossier_event where seq = 1`.execute(ctx.database.db)).rejects.toThrow(
      /append-only/,
    );
  });

  it('detects an edited entry, a deleted one and a cut-off tail', async () => {
    const chain = '30502';
    const seqs = await ctx.database.db
      .selectFrom('audit_log')
      .select('seq')
      .where('chain', '=', chain)
      .orderBy('seq')
      .execute();
    expect(seqs.length).toBeGreaterThan(5);
    await asSuperuser(() =>
      sql`update audit_log set details = '{"forged": true}' where chain = ${chain} and seq = 2`.execute(
        ctx.database.db,
      ),
    );
    const edited = await verifyAuditChains(ctx.database.db);
    expect(edited.ok).toBe(false);
    expect(edited.problems).toContainEqual({ chain, seq: 2, problem: 'changed' });
    await asSuperuser(() =>
      sql`delete from audit_log where chain = ${chain} and seq = 4`.execute(ctx.database.db),
    );
    expect((await verifyAuditChains(ctx.database.db)).problems).toContainEqual({
      chain,
      seq: 4,
      problem: 'missing',
    });
    const last = Number(seqs.at(-1)?.seq);
    await asSuperuser(() =>
      sql`delete from audit_log where chain = ${chain} and seq = ${last}`.execute(ctx.database.db),
    );
    expect((await verifyAuditChains(ctx.database.db)).problems).toContainEqual({
      chain,
      seq: last,
      problem: 'head_mismatch',
    });
  });
});

describe("the entry's canonical JSON cut where the database puts the number", () => {
  it('joins back to the canonical JSON of the whole entry, whatever keys come before and after', () => {
    const cases: Record<string, unknown>[] = [
      {
        action: 'dossier.intake',
        chain: '30502',
        details: { seq: 3, z: [1, { b: 2, a: 'é\n' }] },
        unitCode: null,
      },
      { userAgent: 'Mozilla', ip: undefined, actorId: 7 },
      { seq: 99, zeta: true },
      {},
    ];
    for (const value of cases) {
      const [prefix, suffix] = canonicalJsonParts(value, ['seq']);
      for (const seq of [1, 42, 1234567890123]) {
        expect(`${prefix}${seq}${suffix}`).toBe(canonicalJson({ ...value, seq }));
        // Two holes (the new case's id and the number), in their sorted order.
        const [a, b, c] = canonicalJsonParts(value, ['seq', 'entityId']);
        expect(`${a}"d-${seq}"${b}${seq}${c}`).toBe(canonicalJson({ ...value, entityId: `d-${seq}`, seq }));
      }
    }
  });
});

describe('npm run audit:verify', () => {
  it('prints the verdict and exits 0 on an intact database and 1 on a tampered one', async () => {
    const dataDir = path.join(PROJECT_ROOT, '.tmp', `audit-verify-${process.pid}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    const open = async () => {
      const database = await openDatabase({ kind: 'embedded', dataDir });
      await migrate(database.db);
      return database;
    };
    let database = await open();
    for (const n of [1, 2, 3]) {
      await recordAudit(database.db, {
        actorId: null,
        action: 'test.write',
        entity: 'test',
        entityId: n,
        unitCode: '30502',
      });
    }
    await database.close();
    const verify = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        execFile(
          'node',
          ['--import', 'tsx', 'src/server/commands/audit-verify.ts'],
          {
            cwd: PROJECT_ROOT,
            env: { ...process.env, DATABASE_URL: '', MOTCUA_DATA_DIR: dataDir },
            timeout: 120_000,
          },
          (err, stdout) => resolve({ code: err ? (err.code as number) : 0, out: stdout }),
        );
      });
    const intact = await verify();
    expect(intact.code).toBe(0);
    expect(intact.out).toContain('3 bản ghi trong 1 chuỗi');
    expect(intact.out).toContain('Nhật ký toàn vẹn');
    database = await open();
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(database.db);
    await sql`update audit_log set entity_id = '99' where seq = 2`.execute(database.db);
    await database.close();
    const tampered = await verify();
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain('chuỗi 30502, số 2: changed');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 150_000);
});
