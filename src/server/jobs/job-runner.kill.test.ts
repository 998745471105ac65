import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { migrate } from '../db/migrator.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { deliverJob } from '../test-support/job-runner-child.ts';
import { enqueueJob } from './job-queue.ts';
import { createJobRunner } from './job-runner.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-jobs-kill-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a job in flight when its server is killed (kill -9)', () => {
  it('is delivered again after its lease, with the same job id for the provider to deduplicate', async () => {
    const setup = await openDatabase({ kind: 'embedded', dataDir: dir });
    await migrate(setup.db);
    const id = await enqueueJob(
      setup.db,
      deliverJob(async () => {}),
      { to: 'provider' },
      { now: new Date() },
    );
    await setup.close();

    // The provider: a real HTTP server; the first delivery request arrives, then the runner is killed.
    const received: { jobId: number; attempt: number }[] = [];
    let firstArrived!: () => void;
    const arrived = new Promise<void>((resolve) => {
      firstArrived = resolve;
    });
    const provider = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('accepted');
        firstArrived();
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/server/test-support/job-runner-child.ts'), dir],
      { env: { ...process.env, DELIVER_URL: url }, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await arrived;
    child.kill('SIGKILL');
    await exited;

    // The next server on the folder: the claim survived the kill; once the lease has run out, the job is
    // delivered again and finished.
    const database = await openDatabase({ kind: 'embedded', dataDir: dir });
    try {
      const later = () => new Date(Date.now() + 2_500);
      const runner = createJobRunner({
        db: database.db,
        definitions: [
          deliverJob(async (jobId, attempt) => {
            await fetch(url, { method: 'POST', body: JSON.stringify({ jobId, attempt }) });
          }),
        ],
        now: later,
      });
      const row = () =>
        database.db
          .selectFrom('job')
          .selectAll()
          .where('id', '=', id as number)
          .executeTakeFirstOrThrow();
      expect(await row()).toMatchObject({ state: 'pending', attempts: 1 });
      expect(await runner.runOnce()).toBe(1);
      expect(received).toEqual([
        { jobId: id, attempt: 1 },
        { jobId: id, attempt: 2 },
      ]);
      expect(await row()).toMatchObject({ state: 'done', attempts: 2 });
    } finally {
      await database.close();
      provider.close();
    }
  }, 120_000);
});
