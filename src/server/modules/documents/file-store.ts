import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { syncFolder, writeFileSynced } from '../../durable-files.ts';

/**
 * Where the bytes of documents live, addressed by their SHA-256: the same bytes are stored once however
 * many dossiers use them. The local default is a folder under the data folder; an S3-compatible bucket
 * can take its place behind the same interface.
 */
export type FileStore = {
  readonly kind: 'local' | 's3';
  /** Stores the bytes (nothing happens if they are already there); returns their SHA-256 in hex. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes, or null when the store has none under that digest. */
  get(sha256: string): Promise<Buffer | null>;
};

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A SHA-256 in lower-case hex: the only names a store answers to. */
export const DIGEST = /^[0-9a-f]{64}$/;

/** files/ab/cd/abcd…: two levels of 256 folders keep any one folder small. */
export function createLocalFileStore(root: string): FileStore {
  const where = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  return {
    kind: 'local',
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      const file = where(sha256);
      try {
        await fs.access(file);
        return sha256;
      } catch {
        // not there yet
      }
      await fs.mkdir(path.dirname(file), { recursive: true });
      // Written aside and renamed: a reader never sees half a file, a crash leaves only a temp file. Both
      // synced before put() answers, so a scan is on disk before the dossier row that names it commits.
      const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFileSynced(temp, bytes);
      await fs.rename(temp, file);
      await syncFolder(path.dirname(file));
      return sha256;
    },
    async get(sha256) {
      if (!DIGEST.test(sha256)) return null;
      try {
        return await fs.readFile(where(sha256));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}

/** A local store in a fresh temporary folder, for tests and benchmarks; `remove` deletes the folder. */
export function createTemporaryFileStore(): FileStore & { remove(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'motcua-files-'));
  return { ...createLocalFileStore(root), remove: () => rmSync(root, { recursive: true, force: true }) };
}
