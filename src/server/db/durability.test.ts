import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createTemporaryFileStore } from '../modules/documents/file-store.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { openDatabase } from './connection.ts';
import { migrate } from './migrator.ts';

const CHILD = path.join(PROJECT_ROOT, 'src', 'server', 'test-support', 'durable-commit-child.ts');
const folders: string[] = [];
const freshFolder = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-durable-'));
  folders.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

const hasStrace = spawnSync('strace', ['-V']).status === 0;

/** The child's stderr lines between the commit's start and its acknowledgement. */
function duringCommit(output: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => l.includes('COMMIT-START'));
  const end = lines.findIndex((l) => l.includes('COMMIT-ACKNOWLEDGED'));
  expect(start, output).toBeGreaterThanOrEqual(0);
  expect(end, output).toBeGreaterThan(start);
  return lines.slice(start + 1, end);
}

function runChild(env: Record<string, string>, prefix: string[] = []) {
  const dir = freshFolder();
  const command = [...prefix, process.execPath, '--import', 'tsx', CHILD, dir];
  const run = spawnSync(command[0] as string, command.slice(1), {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stderr;
}

describe('the embedded database makes a commit durable before acknowledging it', () => {
  it('runs with fsync on, WAL flushes through fsync(), and Node syncs the WAL file during the commit', () => {
    const output = runChild({ OBSERVE_FSYNC: '1' });
    expect(output).toContain('SETTINGS {"fsync":"on","wal_sync_method":"fsync"}');
    const synced = duringCommit(output).filter((l) => l.startsWith('FSYNC '));
    expect(
      synced.some((l) => /\/pg\/pg_wal\/[0-9A-F]{24}$/.test(l)),
      output,
    ).toBe(true);
  });

  it.skipIf(!hasStrace)('the commit reaches fsync(2) on the pg_wal file (strace)', () => {
    const trace = path.join(freshFolder(), 'trace');
    runChild({}, ['strace', '-f', '-y', '-e', 'trace=fsync,fdatasync,write', '-o', trace]);
    const lines = fs.readFileSync(trace, 'utf8').split('\n');
    const start = lines.findIndex((l) => l.includes('COMMIT-START'));
    const end = lines.findIndex((l) => l.includes('COMMIT-ACKNOWLEDGED'));
    expect(end).toBeGreaterThan(start);
    const syscalls = lines.slice(start + 1, end).filter((l) => /\bf(data)?sync\(/.test(l));
    expect(syscalls.some((l) => /fsync\(\d+<[^>]*\/pg\/pg_wal\/[0-9A-F]{24}>\) = 0/.test(l))).toBe(true);
  });

  it('without durability (the benchmark comparison) nothing is synced', () => {
    const output = runChild({ OBSERVE_FSYNC: '1', DURABLE: '0' });
    expect(output).toContain('SETTINGS {"fsync":"off","wal_sync_method":"fsync"}');
    expect(duringCommit(output).filter((l) => l.startsWith('FSYNC '))).toEqual([]);
  });

  it('/readyz says the embedded database on disk runs with fsync on', async () => {
    const database = await openDatabase({ kind: 'embedded', dataDir: freshFolder() });
    const files = createTemporaryFileStore();
    try {
      await migrate(database.db);
      const app = await buildApp({ database, fileStore: files, sealPassphrase: 'durability-test-seal' });
      const ready = await app.inject({ url: '/readyz' });
      expect(ready.json().database).toEqual({ kind: 'embedded', fsync: true });
      await app.close();
    } finally {
      await database.close();
      files.remove();
    }
  });
});
