import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { npmStartArgs } from '../../src/server/test-support/npm-start.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const PORT = Number(process.env.E2E_PORT ?? 3310);

/** Starts the product as `npm start` does (demo data, the web app built if needed) on a fresh folder. */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'motcua-e2e-'));
  const baseUrl = `http://127.0.0.1:${PORT}`;
  let output = '';
  // The embedded database, whatever the calling shell points at.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const server: ChildProcess = spawn(process.execPath, npmStartArgs(), {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      ...inherited,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      MOTCUA_DATA_DIR: dataDir,
      MOTCUA_DEMO: 'true',
      MOTCUA_PUBLIC_URL: baseUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  server.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const deadline = Date.now() + 200_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server stopped (${server.exitCode}):\n${output}`);
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`the server was not ready in time:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  project.provide('baseUrl', baseUrl);
  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  };
}
