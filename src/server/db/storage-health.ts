import type { Database } from './connection.ts';
import { probeFolderWrite, type StorageCause } from './storage-errors.ts';

/** How long /readyz stays 503 after a write failed for lack of storage, unless a probe is possible. */
const FAILURE_REMEMBERED_MS = 30_000;

export type StorageHealth = {
  /** Called by the error handler when a write failed with a storage error. */
  writeFailed(cause: StorageCause): void;
  /** null when writes work; else why not. */
  check(): StorageCause | null;
};

/**
 * The embedded database's folder is probed with a real write on every check; PostgreSQL's disk is not
 * ours to probe, so a write that failed with a storage error in the last 30 s stands for it.
 */
export function createStorageHealth(database: Database, dataDir?: string): StorageHealth {
  const folder =
    dataDir ??
    (database.kind === 'embedded' && database.location !== 'memory' ? database.location : undefined);
  let lastFailure: { cause: StorageCause; at: number } | null = null;
  return {
    writeFailed(cause) {
      lastFailure = { cause, at: Date.now() };
    },
    check() {
      if (folder) {
        const cause = probeFolderWrite(folder);
        if (cause) return cause;
      }
      if (lastFailure && Date.now() - lastFailure.at < FAILURE_REMEMBERED_MS) return lastFailure.cause;
      return null;
    },
  };
}
