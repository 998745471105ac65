import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../paths.ts';
import { createTestContext } from '../test-support/test-app.ts';
import { DEMO_PASSWORD } from './seed/demo-data.ts';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-disk-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The server's opening path in a real process; `setup` runs first in the same shell (mounts). */
function openInChild(dataDir: string, setup = '', wrap: string[] = []) {
  const script = `import { openConfiguredDatabase } from './src/server/db/open-configured.ts';
    const db = await openConfiguredDatabase({ databaseUrl: '', dataDir: ${JSON.stringify(dataDir)} });
    await db.close(); console.log('opened');`;
  const node = `${JSON.stringify(process.execPath)} --import tsx --input-type=module -e ${shellQuote(script)}`;
  return spawnSync(
    ...((wrap.length
      ? [wrap[0] ?? '', [...wrap.slice(1), 'sh', '-c', `${setup} ${node}`]]
      : ['sh', ['-c', `${setup} ${node}`]]) as [string, string[]]),
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
}
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// A user namespace lets an unprivileged test mount a tiny tmpfs: a real full, then read-only, disk.
const UNSHARE = ['unshare', '--user', '--map-root-user', '--mount'];
const canMount =
  spawnSync(UNSHARE[0] ?? '', [...UNSHARE.slice(1), 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs ${work}`])
    .status === 0;

describe('a data folder that cannot be written stops the start with one line and exit code 2', () => {
  it('names a path that is not a folder', () => {
    const file = path.join(work, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const run = openInChild(file);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      `Không ghi được vào thư mục dữ liệu ${file}: đường dẫn không phải là thư mục. (Cannot write to the data folder ${file}: the path is not a folder.)`,
    );
  });

  it.runIf(canMount)(
    'names a full disk',
    () => {
      const dir = path.join(work, 'full');
      fs.mkdirSync(dir);
      const run = openInChild(
        dir,
        `mount -t tmpfs -o size=256k tmpfs ${dir} && dd if=/dev/zero of=${dir}/filler bs=4k 2>/dev/null;`,
        UNSHARE,
      );
      expect(run.status).toBe(2);
      expect(run.stderr.trim()).toBe(
        `Không ghi được vào thư mục dữ liệu ${dir}: ổ đĩa đã đầy. (Cannot write to the data folder ${dir}: the disk is full.)`,
      );
    },
    120_000,
  );

  it.runIf(canMount)(
    'names a read-only disk',
    () => {
      const dir = path.join(work, 'read-only');
      fs.mkdirSync(dir);
      const run = openInChild(
        dir,
        `mount -t tmpfs -o size=256k tmpfs ${dir} && mount -o remount,ro ${dir} &&`,
        UNSHARE,
      );
      expect(run.status).toBe(2);
      expect(run.stderr.trim()).toBe(
        `Không ghi được vào thư mục dữ liệu ${dir}: ổ đĩa chỉ cho phép đọc. (Cannot write to the data folder ${dir}: the disk is read-only.)`,
      );
    },
    120_000,
  );
});

describe('a running server whose writes fail', () => {
  // PostgreSQL's pool has ten connections: making one read-only would not make the next write fail.
  it.skipIf(Boolean(process.env.TEST_DATABASE_URL))(
    'answers writes with a clear 503 and turns /readyz 503 with the reason',
    async () => {
      const ctx = await createTestContext({ now: () => new Date('2026-03-02T09:00:00+07:00') });
      try {
        expect((await ctx.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
        // The embedded pool is one connection: from now on every write fails as on a read-only database.
        await sql`set session characteristics as transaction read only`.execute(ctx.database.db);
        const res = await ctx.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'sysadmin', password: DEMO_PASSWORD },
        });
        expect(res.statusCode).toBe(503);
        expect(res.json().error).toEqual({
          code: 'STORAGE_UNAVAILABLE',
          message:
            'Máy chủ không ghi được dữ liệu (ổ đĩa đầy hoặc chỉ cho phép đọc); thao tác chưa được lưu. Vui lòng báo bộ phận kỹ thuật rồi thử lại.',
        });
        const ready = await ctx.app.inject({ method: 'GET', url: '/readyz' });
        expect(ready.statusCode).toBe(503);
        expect(ready.json()).toMatchObject({ status: 'unavailable', storage: 'read-only' });
      } finally {
        await sql`set session characteristics as transaction read write`.execute(ctx.database.db);
        await ctx.close();
      }
    },
    240_000,
  );
});
