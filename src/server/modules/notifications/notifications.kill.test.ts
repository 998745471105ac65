import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { openDatabase } from '../../db/connection.ts';
import { migrate } from '../../db/migrator.ts';
import { DEMO_PASSWORD } from '../../db/seed/demo-data.ts';
import { seedDatabase } from '../../db/seed/seed.ts';
import { PROJECT_ROOT } from '../../paths.ts';
import { APPLICANT, intakeBody } from '../../test-support/dossier-helpers.ts';
import { startZnsServer } from '../../test-support/message-servers.ts';
import { tickingClock } from '../../test-support/test-app.ts';
import { TEST_SEAL_PASSPHRASE, TEST_SEED_NOW } from '../../test-support/test-database.ts';
import { createLocalFileStore } from '../documents/file-store.ts';
import { createZnsClient } from './providers.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-notify-kill-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});
const START = new Date(TEST_SEED_NOW.getTime() + 30 * 60_000);
const TOKEN = 'oa-token-kill-test';

async function until<T>(probe: () => T | null | Promise<T | null>, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a message in flight when the server is killed (kill -9)', () => {
  it('reaches the citizen exactly once: the next server retries with the same tracking id after the lease', async () => {
    const setup = await openDatabase({ kind: 'embedded', dataDir: dir });
    await migrate(setup.db);
    const files = createLocalFileStore(path.join(dir, 'files'));
    await seedDatabase(setup.db, {
      demo: true,
      files,
      sealPassphrase: TEST_SEAL_PASSPHRASE,
      publicUrl: 'http://localhost:3000',
      now: TEST_SEED_NOW,
    });
    await setup.close();

    // ZNS takes the message and never answers: the server is killed while it waits.
    const zns = await startZnsServer(TOKEN);
    zns.fail('hang-after-accept');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/server/test-support/notify-server-child.ts'), dir],
      {
        env: { ...process.env, ZNS_URL: zns.url, START_AT: START.toISOString() },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const url = await until(() => /listening at (\S+)/.exec(out)?.[1] ?? null, 'the server', 120_000);

    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'reception.30502', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const phone = '0912555777';
    const filed = await fetch(`${url}/api/dossiers`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie,
        'x-csrf-token': csrfToken,
        origin: url,
        'idempotency-key': 'kill-test-intake-1',
      },
      body: JSON.stringify(intakeBody({ applicant: { ...APPLICANT, phone } })),
    });
    expect(filed.status, await filed.clone().text()).toBe(201);
    const { id } = (await filed.json()) as { id: number };

    // The provider has the message; the answer is still to come when the process dies.
    await until(() => (zns.delivered().length === 1 ? true : null), 'the ZNS request');
    child.kill('SIGKILL');
    await exited;

    // The next server on the folder, five minutes later: the lease has run out.
    const database = await openDatabase({ kind: 'embedded', dataDir: dir });
    const app = await buildApp({
      database,
      fileStore: files,
      sealPassphrase: TEST_SEAL_PASSPHRASE,
      now: tickingClock(new Date(START.getTime() + 5 * 60_000)),
      logLevel: 'silent',
      notificationProviders: {
        kind: 'http',
        zalo: createZnsClient({ url: zns.url, accessToken: TOKEN }),
        sms: null,
        email: null,
      },
    });
    try {
      const before = await database.db
        .selectFrom('notification')
        .selectAll()
        .where('dossier_id', '=', id)
        .execute();
      // The intent, written with the intake; the try in flight is the job's claim.
      expect(before.map((n) => [n.channel, n.status, n.attempts])).toEqual([['zalo', 'pending', 0]]);
      for (let i = 0; i < 5 && (await app.jobs.runOnce()) > 0; i++);
      const after = await database.db
        .selectFrom('notification')
        .selectAll()
        .where('dossier_id', '=', id)
        .execute();
      expect(after.map((n) => [n.channel, n.status, n.attempts])).toEqual([['zalo', 'sent', 2]]);
      // Two requests, one message: ZNS deduplicated the retry by its tracking id.
      expect(zns.requests).toBe(2);
      expect(zns.delivered()).toHaveLength(1);
      expect(zns.delivered()[0]?.phone).toBe('84912555777');
    } finally {
      await app.close();
      await database.close();
      await zns.close();
    }
  }, 240_000);
});
