import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../paths.ts';
import { type ProductRun, startProduct } from '../test-support/npm-start.ts';
import {
  acquireDataDirLock,
  DataDirLockedError,
  HEARTBEAT_MS,
  type LockRecord,
  STALE_AFTER_MS,
} from './data-dir-lock.ts';
import { processIdentity, readProcessStartTime } from './process-identity.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-lock-'));
const children: ChildProcess[] = [];

type Run = ProductRun;

// As `npm start` runs it (the bundle, imported in the same process: the lock's pid is the server's).
const startServer = () => startProduct(dataDir, children);

async function waitFor(run: Run, text: string, timeoutMs = 200_000) {
  const until = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (Date.now() > until) throw new Error(`timed out waiting for "${text}":\n${run.output()}`);
    if (run.child.exitCode !== null)
      throw new Error(`exited early (${run.child.exitCode}):\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded data folder lock', () => {
  it('refuses a second process, keeps the first running, and is released on graceful shutdown', async () => {
    const first = startServer();
    await waitFor(first, 'MotCua sẵn sàng');
    const lockFile = path.join(dataDir, 'motcua.lock');
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8')).pid).toBe(first.child.pid);

    const second = startServer();
    expect(await second.exit).toBe(2);
    expect(second.output()).toContain(`đang được tiến trình ${first.child.pid} sử dụng`);
    expect(second.output()).toContain('is held by process');

    // The first server still answers after the refused attempt.
    const port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(first.output())?.[1];
    const res = await fetch(`http://127.0.0.1:${port}/api/units/01279`);
    expect(((await res.json()) as { name: string }).name).toBe('Phường Nùng Trí Cao');

    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(fs.existsSync(lockFile)).toBe(false);

    // The data survived: a second start finds it loaded and is ready without reloading.
    const again = startServer();
    await waitFor(again, 'MotCua sẵn sàng');
    expect(again.output()).not.toContain('loading administrative units');
    again.child.kill('SIGTERM');
    expect(await again.exit).toBe(0);
    // Two real starts of the server on a new data folder: minutes on a loaded two-core machine.
  }, 400_000);

  it('takes over a lock left by a process that died', () => {
    const dir = tempDir();
    // A pid far above pid_max on Linux cannot be alive.
    fs.writeFileSync(lockIn(dir), '99999999');
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(fs.readFileSync(lockIn(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    lock.release();
    expect(fs.existsSync(lockIn(dir))).toBe(false);
  });

  it.runIf(linux)('takes over at once a lock of "process 1" from another boot or another start', () => {
    const self = processIdentity();
    // The restart loop in a container: an older server's bare pid, which is now our own.
    fs.writeFileSync(lockIn(tempDir()), String(process.pid));
    expect(() => acquireDataDirLock(lastDir()).release()).not.toThrow();
    // pid 1 is alive here (init), but it started at another time than the recorded holder.
    writeRecord(tempDir(), { pid: 1, ...self, startTime: '12345678901', token: 'x' });
    expect(() => acquireDataDirLock(lastDir()).release()).not.toThrow();
    // Another boot: whatever runs as pid 1 now is not the holder.
    writeRecord(tempDir(), {
      pid: 1,
      ...self,
      bootId: '00000000-0000-0000-0000-000000000000',
      startTime: readProcessStartTime(1),
      token: 'x',
    });
    expect(() => acquireDataDirLock(lastDir()).release()).not.toThrow();
    // The same pid 1 with its real start time is alive: refused.
    writeRecord(tempDir(), { pid: 1, ...self, startTime: readProcessStartTime(1), token: 'x' });
    expect(() => acquireDataDirLock(lastDir())).toThrow(/held by process 1;/);
  });

  it('refuses our own live process', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(`held by process ${process.pid};`);
    lock.release();
  });

  it('refuses a fresh heartbeat from another container and takes over a stale one', () => {
    const other = { ...processIdentity(), pidNamespace: 'pid:[1]', pid: 4242, token: 'x' };
    const dir = tempDir();
    writeRecord(dir, other);
    expect(() => acquireDataDirLock(dir)).toThrow(
      /tiến trình 4242 trong một container khác, nhịp 0 giây trước.*in another container/,
    );
    const past = new Date(Date.now() - STALE_AFTER_MS - 1000);
    fs.utimesSync(lockIn(dir), past, past);
    acquireDataDirLock(dir).release();
  });

  it('keeps its heartbeat going while the main thread is blocked', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(lockIn(dir), past, past);
    // Busy-wait past one beat: PGlite's synchronous work blocks the event loop like this.
    const until = Date.now() + HEARTBEAT_MS + 1500;
    while (Date.now() < until) {
      /* blocked */
    }
    expect(Date.now() - fs.statSync(lockIn(dir)).mtimeMs).toBeLessThan(HEARTBEAT_MS + 1000);
    lock.release();
  });

  it('refuses a second live process on the same folder with exit code 2 and the message', async () => {
    const dir = tempDir();
    const holder = spawnLocker(dir, 'hold');
    await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()));
    const second = spawnLocker(dir, 'open');
    let out = '';
    second.stderr?.on('data', (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(code).toBe(2);
    expect(out).toContain(`Thư mục dữ liệu ${dir} đang được tiến trình ${holder.pid} sử dụng`);
    expect(out).toContain(`held by process ${holder.pid}; stop it first.`);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('exit', resolve));
    // kill -9 leaves the file; the next start takes it over.
    expect(fs.existsSync(lockIn(dir))).toBe(true);
    acquireDataDirLock(dir).release();
  }, 60_000);
});

const linux = fs.existsSync('/proc/self/stat');
const dirs: string[] = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-lock-'));
  dirs.push(dir);
  return dir;
}
const lastDir = () => dirs[dirs.length - 1] ?? '';
const lockIn = (dir: string) => path.join(dir, 'motcua.lock');
const writeRecord = (dir: string, record: LockRecord) =>
  fs.writeFileSync(lockIn(dir), JSON.stringify(record));
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A real process taking the lock: `hold` keeps it, `open` goes through the server's opening path. */
function spawnLocker(dir: string, mode: 'hold' | 'open') {
  const script =
    mode === 'hold'
      ? `import { acquireDataDirLock } from './src/server/db/data-dir-lock.ts';
         acquireDataDirLock(${JSON.stringify(dir)}); console.log('held'); setInterval(() => {}, 1000);`
      : `import { openConfiguredDatabase } from './src/server/db/open-configured.ts';
         await openConfiguredDatabase({ databaseUrl: '', dataDir: ${JSON.stringify(dir)} });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}
