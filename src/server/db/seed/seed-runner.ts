import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_SOURCE_DIR } from '../../paths.ts';
import { type StorageCause, StorageUnavailableError } from '../storage-errors.ts';
import type { SeedProgress } from './seed.ts';

/** What seed-process.ts tells the server. */
export type SeedMessage =
  | { kind: 'progress'; stage: string; progress: number }
  | { kind: 'done' }
  | { kind: 'failed'; message: string; storage: StorageCause | null };

/**
 * How to start seed-process: beside the bundle `npm start` runs (dist/server/<build>/seed-process.mjs),
 * else from the sources with tsx (npm run dev).
 */
function seedProcessArgs(): string[] {
  const bundled = fileURLToPath(new URL('./seed-process.mjs', import.meta.url));
  if (existsSync(bundled)) return [bundled];
  const source = path.join(SERVER_SOURCE_DIR, 'db', 'seed', 'seed-process.ts');
  const tsx = process.execArgv.some((a) => a.includes('tsx'));
  // tsx by its own address: Node would look for the bare name from the working directory.
  return [...(tsx ? [] : ['--import', import.meta.resolve('tsx')]), source];
}

export type SeedRun = { done: Promise<void>; stop(): void };

/**
 * Runs the first start's load in a child process with the server's environment (the data folder must
 * be lent to it) and reports its progress. A failure rejects with the child's message; a full or
 * read-only disk as StorageUnavailableError naming the folder.
 */
export function runSeedProcess(dataDir: string, onProgress: SeedProgress): SeedRun {
  // The server's small young generation (npm start) would only slow the load down.
  const flags = process.execArgv.filter((a) => !a.startsWith('--max-semi-space-size'));
  const child = spawn(process.execPath, [...flags, ...seedProcessArgs()], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: process.env,
  });
  let failure: SeedMessage | null = null;
  let finished = false;
  child.on('message', (message: SeedMessage) => {
    if (message.kind === 'progress') onProgress(message.stage, message.progress);
    else if (message.kind === 'done') finished = true;
    else failure = message;
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const failed = failure as SeedMessage | null;
      if (failed?.kind === 'failed') {
        return reject(
          failed.storage
            ? new StorageUnavailableError(dataDir, failed.storage)
            : new Error(`Nạp dữ liệu lần đầu không thành công (the first load failed): ${failed.message}`),
        );
      }
      if (code === 0 && finished) return resolve();
      reject(new Error(`Nạp dữ liệu lần đầu bị dừng (the first load stopped: ${signal ?? `exit ${code}`})`));
    });
  });
  return { done, stop: () => child.kill('SIGTERM') };
}
