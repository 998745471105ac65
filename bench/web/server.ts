/**
 * The product as `npm start` runs it (demo data, the built web app) in a child process, on a free port
 * and a fresh data folder that is deleted when it stops: the same start as e2e/support/server.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const READY_WITHIN_MS = 200_000;

export type RunningServer = { baseUrl: string; stop(): Promise<void> };

/** A port nobody listens on now (the OS picks it; the server takes it a moment later). */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts the server and waits for /readyz (about 15 s of seeding); stops it and cleans up on failure. */
export async function startServer(): Promise<RunningServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'motcua-bench-web-'));
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // The embedded database, whatever the calling shell points at.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      MOTCUA_DATA_DIR: dataDir,
      MOTCUA_DEMO: 'true',
      MOTCUA_PUBLIC_URL: baseUrl,
      LOG_LEVEL: 'warn',
      // The development VNeID provider would take PORT + 1: any free port instead.
      OIDC_DEV_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const gone = exited(child);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + READY_WITHIN_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server stopped (${child.exitCode}):\n${output}`);
      const ready = await fetch(`${baseUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`the server was not ready in time:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

/** The code of one demo dossier, as a reception officer lists them. */
export async function findDemoDossierCode(baseUrl: string): Promise<string> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'reception.30502', password: 'MotCua@2025' }),
  });
  if (!login.ok) throw new Error(`sign-in of reception.30502: ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('motcua_session='));
  if (!cookie) throw new Error('sign-in of reception.30502: no session cookie');
  const res = await fetch(`${baseUrl}/api/dossiers?view=all&pageSize=1`, {
    headers: { cookie: cookie.split(';')[0] as string },
  });
  if (!res.ok) throw new Error(`GET /api/dossiers: ${res.status} ${await res.text()}`);
  const { items } = (await res.json()) as { items: { code: string }[] };
  const code = items[0]?.code;
  if (!code) throw new Error('the demo has no dossier');
  return code;
}
