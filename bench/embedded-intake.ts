/**
 * The embedded database under intake, as `npm start` runs it: a fresh data folder's first start (the
 * demo history), its idle RSS; a second start, the time to /readyz 200 and its idle RSS; 32 clients of
 * intake over the five communes with fsync on (the server's own setting), the peak RSS meanwhile; then
 * the same load with fsync off (bench/embedded-server.ts on the same folder) for the cost of durability.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVER_INPUTS, serverBundle } from '../src/server/server-bundle.mjs';
import { npmStartArgs } from '../src/server/test-support/npm-start.ts';
import {
  COMMUNES,
  CONNECTIONS,
  DURATION_S,
  drive,
  type LoadResult,
  login,
  requiredComponents,
  split,
  WARMUP_S,
} from './bench-support.ts';
import type { LoadGroup, Session } from './load-requests.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
export const TARGET_IDLE_MB = 300;
export const TARGET_LOAD_MB = 500;
export const TARGET_SECOND_START_S = 3;

type Server = { child: ChildProcess; url: string; readyS: number };

const rssMb = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};

/** Node's arguments as `npm start` passes them, so the figures are the server's own. */
const START_ARGS = npmStartArgs();
const NODE_FLAGS = START_ARGS.filter((w) => w.startsWith('--'));

/** Starts `node <args>` on the data folder and waits for /readyz 200. */
async function start(args: string[], dataDir: string): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      MOTCUA_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  let url = '';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${out}`);
    url ||= /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
    if (
      url &&
      (await fetch(`${url}/readyz`).then(
        (r) => r.status,
        () => 0,
      )) === 200
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url, readyS: (performance.now() - started) / 1000 };
}

async function stop(server: Server) {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

/** Idle RSS: a few seconds after ready, when the start's garbage has been collected. */
async function idleRss(server: Server) {
  await new Promise((r) => setTimeout(r, 5_000));
  return rssMb(server.child.pid as number);
}

async function intakeLoad(server: Server, label: string) {
  const sessions: Session[] = [];
  for (const c of COMMUNES) sessions.push(await login(server.url, `reception.${c}`));
  const components = await requiredComponents(server.url);
  let peak = rssMb(server.child.pid as number);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(server.child.pid as number));
  }, 200);
  const groups = (run: number) =>
    split(CONNECTIONS, COMMUNES.length).map(
      (n, i) =>
        ({
          kind: 'intake',
          connections: n,
          session: sessions[i] as Session,
          commune: COMMUNES[i] as string,
          offset: i * 1_000_000 + run * 100_000 + 50_000_000,
          components,
        }) satisfies LoadGroup,
    );
  try {
    await drive(server.url, 'warm-up', groups(label.includes('off') ? 2 : 0), WARMUP_S);
    const result = await drive(server.url, label, groups(label.includes('off') ? 3 : 1), DURATION_S);
    return { result, peakMb: peak };
  } finally {
    clearInterval(sampler);
  }
}

export type EmbeddedFigures = {
  firstStartS: number;
  idleAfterFirstMb: number;
  secondStartS: number;
  idleAfterSecondMb: number;
  durable: LoadResult;
  loadPeakMb: number;
  relaxed: LoadResult;
};

export async function benchEmbedded(): Promise<EmbeddedFigures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-embedded-'));
  const main = START_ARGS;
  try {
    const first = await start(main, dataDir);
    const idleAfterFirstMb = await idleRss(first);
    await stop(first);
    const second = await start(main, dataDir);
    const idleAfterSecondMb = await idleRss(second);
    const durable = await intakeLoad(second, 'embedded intake, 5 communes, fsync on');
    await stop(second);
    // Bundled like npm start's server, so the two rows differ by fsync alone.
    const relaxedBundle = await serverBundle({
      entries: { 'embedded-server': 'bench/embedded-server.ts' },
      inputs: SERVER_INPUTS,
      dir: path.join(ROOT, 'dist', 'bench'),
    });
    const relaxedServer = await start(
      [...NODE_FLAGS, path.join(relaxedBundle, 'embedded-server.mjs'), dataDir],
      dataDir,
    );
    const relaxed = await intakeLoad(relaxedServer, 'embedded intake, 5 communes, fsync off');
    await stop(relaxedServer);
    return {
      firstStartS: first.readyS,
      idleAfterFirstMb,
      secondStartS: second.readyS,
      idleAfterSecondMb,
      durable: durable.result,
      loadPeakMb: durable.peakMb,
      relaxed: relaxed.result,
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
