import fs from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import { z } from 'zod';
import { SealedSecret } from './seal-protection.ts';

/**
 * One backup is one .tar.gz (any tar reads it): manifest.json, the database (the embedded database's
 * files under database/pg, or PostgreSQL's `pg_dump --format=custom` as database.pgdump), the stored
 * files under files/ab/cd/<sha256>, and seal.json (the seal passphrase sealed under the operator's).
 */
export const BackupManifest = z.object({
  format: z.literal('motcua-backup'),
  version: z.literal(1),
  takenAt: z.iso.datetime({ offset: true }),
  database: z.object({ kind: z.enum(['embedded', 'postgresql']), serverVersion: z.string() }),
  files: z.object({ included: z.boolean(), count: z.number().int(), bytes: z.number().int() }),
  seal: z.enum(['sealed', 'absent']),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

export const MANIFEST = 'manifest.json';
export const SEAL = 'seal.json';
export const PG_DUMP = 'database.pgdump';
export const EMBEDDED_DIR = path.join('database', 'pg');
export const FILES_DIR = 'files';

/** Packs a staged folder into `out`, written aside, synced and renamed: a backup is whole or absent. */
export async function packArchive(stage: string, out: string): Promise<number> {
  const temp = `${out}.${process.pid}.tmp`;
  const entries = (await fs.readdir(stage)).sort((a, b) => (a === MANIFEST ? -1 : b === MANIFEST ? 1 : 0));
  try {
    await tar.create({ gzip: true, file: temp, cwd: stage, portable: true }, entries);
    const handle = await fs.open(temp, 'r+');
    await handle.sync();
    await handle.close();
    await fs.rename(temp, out);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  return (await fs.stat(out)).size;
}

export class BackupArchiveError extends Error {
  override name = 'BackupArchiveError';
}

/** Unpacks an archive into an empty folder and reads its manifest (refused when it is not ours). */
export async function unpackArchive(file: string, into: string): Promise<BackupManifest> {
  await fs.mkdir(into, { recursive: true });
  try {
    // No absolute paths, no '..', no links out of the folder: node-tar refuses them by default.
    await tar.extract({ file, cwd: into, strict: true });
  } catch (err) {
    throw new BackupArchiveError(
      `Không đọc được bản sao lưu ${file}: ${(err as Error).message} (not a readable backup archive)`,
    );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(await fs.readFile(path.join(into, MANIFEST), 'utf8'));
  } catch {
    throw new BackupArchiveError(
      `${file} không phải bản sao lưu MotCua (no manifest.json: not a MotCua backup)`,
    );
  }
  const parsed = BackupManifest.safeParse(manifest);
  if (!parsed.success) {
    throw new BackupArchiveError(
      `${file}: manifest.json không hợp lệ (invalid manifest: ${parsed.error.message})`,
    );
  }
  return parsed.data;
}

export async function readSealed(stage: string): Promise<SealedSecret | null> {
  try {
    return SealedSecret.parse(JSON.parse(await fs.readFile(path.join(stage, SEAL), 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new BackupArchiveError(`seal.json không hợp lệ (invalid seal.json): ${(err as Error).message}`);
  }
}

/**
 * Copies a content-addressed store folder (hard links where the file system allows: the files never
 * change once written). Temporary files of a write in progress are left out. Returns count and bytes.
 */
export async function copyStoreFolder(from: string, to: string): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const entry of entries) {
      const source = path.join(dir, entry.name);
      const target = path.join(to, rel, entry.name);
      if (entry.isDirectory()) {
        await walk(source, path.join(rel, entry.name));
      } else if (entry.isFile() && /^[0-9a-f]{64}$/.test(entry.name)) {
        await fs.mkdir(path.dirname(target), { recursive: true });
        try {
          await fs.link(source, target);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EEXIST') continue;
          await fs.copyFile(source, target);
        }
        count++;
        bytes += (await fs.stat(target)).size;
      }
    }
  };
  await walk(from, '');
  return { count, bytes };
}
