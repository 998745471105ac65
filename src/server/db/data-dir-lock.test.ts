import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../paths.ts';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.ts';

const MAIN = path.join(PROJECT_ROOT, 'src', 'server', 'main.ts');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-lock-'));
const children: ChildProcess[] = [];

type Run = { child: ChildProcess; output: () => string; exit: Promise<number | null> };

function startServer(): Run {
  // Plain node with the tsx loader: one process, so the pid in the lock file is the server's own.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      MOTCUA_DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
      // The lock is what is tested: the reference data is loaded, the demo (certificates, signed
      // results) is not needed.
      MOTCUA_DEMO: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

async function waitFor(run: Run, text: string, timeoutMs = 90_000) {
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
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(first.child.pid));

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
  }, 180_000);

  it('takes over a lock left by a process that died', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-stale-'));
    // A pid far above pid_max on Linux cannot be alive.
    fs.writeFileSync(path.join(dir, 'motcua.lock'), '99999999');
    const lock = acquireDataDirLock(dir);
    expect(fs.readFileSync(path.join(dir, 'motcua.lock'), 'utf8')).toBe(String(process.pid));
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    lock.release();
    expect(fs.existsSync(path.join(dir, 'motcua.lock'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
