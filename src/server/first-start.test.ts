import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ProductRun, startProduct } from './test-support/npm-start.ts';

// The first start on a new embedded folder, as `npm start` runs it: the server listens at once, and the
// load (initdb, migrations, reference data) runs in a child process while the folder is lent to it.
const dirs: string[] = [];
const children: ChildProcess[] = [];

type Run = ProductRun;
const startServer = (dataDir: string) => startProduct(dataDir, children);

async function until<T>(run: Run, probe: () => Promise<T | null>, what: string, timeoutMs = 200_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (run.child.exitCode !== null)
      throw new Error(`exited early (${run.child.exitCode}):\n${run.output()}`);
    const value = run.url() ? await probe().catch(() => null) : null;
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The server's child processes (the first start's load), from /proc. */
function childPids(pid: number): number[] {
  const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

const commandOf = (pid: number) =>
  fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');

const readyz = async (run: Run) => {
  const res = await fetch(`${run.url()}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

function newFolder() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-first-start-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the first start on a new embedded data folder', () => {
  it('loads in a child process, answers "loading" meanwhile, and a stop during the load loses nothing', async () => {
    const dataDir = newFolder();
    const first = startServer(dataDir);
    const loading = await until(
      first,
      async () => {
        const r = await readyz(first);
        return r.body.status === 'loading' && r.body.stage === 'units' ? r : null;
      },
      'the units stage',
    );
    expect(loading.status).toBe(503);
    expect(loading.body.database).toEqual({ kind: 'embedded', fsync: true });
    // The load is another process, started from the bundle beside the server's.
    const loaders = childPids(first.child.pid as number).filter((p) => commandOf(p).includes('seed-process'));
    expect(loaders).toHaveLength(1);
    expect(commandOf(loaders[0] as number)).toMatch(/dist\/server\/[0-9a-f]{16}\/seed-process\.mjs$/);
    // A request that needs the database is told to wait, in Vietnamese, not left hanging.
    const res = await fetch(`${first.url()}/api/units/01279`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(await res.json()).toEqual({
      error: { code: 'NOT_READY', message: 'Hệ thống đang khởi động, vui lòng thử lại sau.' },
    });

    // Stopped in the middle of the load: the server and its loader end, the lock is given back.
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    for (const pid of loaders) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'motcua.lock'))).toBe(false);

    // The next start finds the load unfinished, does it again (the folder now exists) and is ready.
    const again = startServer(dataDir);
    const ready = await until(
      again,
      async () => {
        const r = await readyz(again);
        return r.status === 200 ? r : null;
      },
      'ready',
    );
    expect(ready.body).toEqual({ status: 'ready', database: { kind: 'embedded', fsync: true } });
    const unit = await fetch(`${again.url()}/api/units/01279`);
    expect(((await unit.json()) as { name: string }).name).toBe('Phường Nùng Trí Cao');
    // Nothing is left running beside the server once it is ready.
    expect(childPids(again.child.pid as number).filter((p) => commandOf(p).includes('seed-process'))).toEqual(
      [],
    );
    again.child.kill('SIGTERM');
    expect(await again.exit).toBe(0);
  }, 400_000);

  it('a server killed during the load takes its loader with it (nothing writes behind the next server)', async () => {
    const dataDir = newFolder();
    const first = startServer(dataDir);
    await until(
      first,
      async () => ((await readyz(first)).body.stage === 'units' ? true : null),
      'the units stage',
    );
    const loaders = childPids(first.child.pid as number).filter((p) => commandOf(p).includes('seed-process'));
    expect(loaders).toHaveLength(1);
    first.child.kill('SIGKILL');
    await first.exit;
    // At once, not when its load would have finished (the units alone take seconds).
    const deadline = Date.now() + 1_500;
    while (loaders.some((p) => fs.existsSync(`/proc/${p}`) && !isZombie(p)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const pid of loaders) expect(fs.existsSync(`/proc/${pid}`) && !isZombie(pid)).toBe(false);
  }, 200_000);
});

/** An ended process not yet reaped by its parent still has a /proc entry, in state Z. */
function isZombie(pid: number) {
  try {
    return /^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}
