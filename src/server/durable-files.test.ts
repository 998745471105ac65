import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './paths.ts';

const CHILD = path.join(PROJECT_ROOT, 'src', 'server', 'test-support', 'durable-files-child.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-durable-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const hasStrace = spawnSync('strace', ['-V']).status === 0;

/** The traced syscalls (fsync, rename, link) between two marks the child wrote, in order. */
function between(lines: string[], start: string, end: string): string[] {
  const from = lines.findIndex((l) => l.includes(start));
  const to = lines.findIndex((l) => l.includes(end));
  expect(to).toBeGreaterThan(from);
  return lines
    .slice(from + 1, to)
    .filter((l) => /\b(fsync|fdatasync|rename\w*|link\w*)\(/.test(l) && !/resumed>|unfinished/.test(l));
}

describe.skipIf(!hasStrace)('stored files are on disk before we say so (strace)', () => {
  const trace = path.join(dir, 'trace');
  const data = path.join(dir, 'data');
  const run = spawnSync(
    'strace',
    [
      ...['-f', '-y', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2,link,linkat,write', '-o', trace],
      ...[process.execPath, '--import', 'tsx', CHILD, data],
    ],
    { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  const lines = run.status === 0 ? fs.readFileSync(trace, 'utf8').split('\n') : [];

  it('a scan: the temp file synced, renamed into place, then its folder synced', () => {
    expect(run.status, run.stderr).toBe(0);
    const calls = between(lines, 'PUT-START', 'PUT-DONE');
    const syncTemp = calls.findIndex((l) =>
      /fsync\(\d+<[^>]*\/files\/[0-9a-f/]+\.[0-9a-f]+\.tmp>\) = 0/.test(l),
    );
    const rename = calls.findIndex((l) => /rename\w*\(.*\.tmp".*= 0/.test(l));
    const syncFolder = calls.findIndex((l) =>
      /fsync\(\d+<[^>]*\/files\/[0-9a-f]{2}\/[0-9a-f]{2}>\) = 0/.test(l),
    );
    expect(syncTemp, calls.join('\n')).toBeGreaterThanOrEqual(0);
    expect(rename).toBeGreaterThan(syncTemp);
    expect(syncFolder).toBeGreaterThan(rename);
  });

  it('the generated seal passphrase: synced, linked into place, then the data folder synced', () => {
    expect(run.status, run.stderr).toBe(0);
    const calls = between(lines, 'SEAL-START', 'SEAL-DONE');
    const syncTemp = calls.findIndex((l) =>
      /fsync\(\d+<[^>]*\/seal-passphrase\.[0-9a-f]+\.tmp>\) = 0/.test(l),
    );
    const link = calls.findIndex((l) => /link\w*\(.*seal-passphrase.*= 0/.test(l));
    const syncFolder = calls.findIndex((l) => new RegExp(`fsync\\(\\d+<${data}>\\) = 0`).test(l));
    expect(syncTemp, calls.join('\n')).toBeGreaterThanOrEqual(0);
    expect(link).toBeGreaterThan(syncTemp);
    expect(syncFolder).toBeGreaterThan(link);
  });
});
