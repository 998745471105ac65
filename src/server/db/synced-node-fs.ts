import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

type PostgresModule = Parameters<NodeFS['init']>[1];
type NodeStream = { nfd?: number };
type EmscriptenModule = { NODEFS: { stream_ops: { fsync?: (stream: NodeStream) => number } } };

/**
 * PGlite's folder on disk, with fsync() reaching the disk. Emscripten's NODEFS has no `fsync` stream
 * operation, so PostgreSQL's fsync() calls return success without syncing anything (and fdatasync() is a
 * no-op in the glue); with `fsync=on` and `wal_sync_method=fsync` every WAL flush of a commit comes here
 * and is synced with the real fsync(2) before the commit is acknowledged.
 */
export class SyncedNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: PostgresModule) {
    const { emscriptenOpts } = await super.init(pg, opts);
    const syncStreams = (module: EmscriptenModule) => {
      module.NODEFS.stream_ops.fsync = (stream) => {
        // Read through the module object so a test can observe the calls (fs.fsyncSync, not our code).
        if (stream.nfd !== undefined) fs.fsyncSync(stream.nfd);
        return 0;
      };
    };
    const preRun = [...((emscriptenOpts.preRun ?? []) as unknown[]), syncStreams];
    return { emscriptenOpts: { ...emscriptenOpts, preRun } as PostgresModule };
  }
}
