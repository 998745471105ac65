import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { processIdentity, readProcessStartTime } from './process-identity.ts';

/** How often the holder touches the lock file, and when a holder we cannot see is taken for gone. */
export const HEARTBEAT_MS = 2_000;
export const STALE_AFTER_MS = 30_000;

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    /** Set when the holder is in another container (PID namespace): only its heartbeat is seen. */
    readonly heartbeatAgeMs?: number,
  ) {
    const where =
      heartbeatAgeMs === undefined
        ? ''
        : ` trong một container khác, nhịp ${Math.round(heartbeatAgeMs / 1000)} giây trước`;
    const whereEn =
      heartbeatAgeMs === undefined
        ? ''
        : ` in another container, last heartbeat ${Math.round(heartbeatAgeMs / 1000)} s ago`;
    super(
      `Thư mục dữ liệu ${dataDir} đang được tiến trình ${holderPid}${where} sử dụng; hãy dừng tiến trình đó trước. ` +
        `(The data folder ${dataDir} is held by process ${holderPid}${whereEn}; stop it first.)`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** What the lock file records of its holder; every identity field is null where the OS has no /proc. */
export type LockRecord = {
  pid: number;
  /** /proc/sys/kernel/random/boot_id: a new one after every reboot. */
  bootId: string | null;
  /** /proc/self/ns/pid: containers on one host share the boot id but not this. */
  pidNamespace: string | null;
  /** Field 22 of /proc/<pid>/stat: a reused pid has another start time. */
  startTime: string | null;
  /** This holding, so a takeover removes exactly the stale file it judged. */
  token: string;
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRecord(file: string): { record: LockRecord | null; heartbeatAgeMs: number } | null {
  let text: string;
  let mtimeMs: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const heartbeatAgeMs = Math.max(0, Date.now() - mtimeMs);
  try {
    const parsed = JSON.parse(text) as LockRecord;
    if (Number.isInteger(parsed.pid) && parsed.pid > 0) return { record: parsed, heartbeatAgeMs };
  } catch {
    // An older server wrote the bare pid.
  }
  const pid = Number.parseInt(text.trim(), 10);
  return {
    record: Number.isInteger(pid) && pid > 0 ? legacyRecord(pid) : null,
    heartbeatAgeMs,
  };
}

const legacyRecord = (pid: number): LockRecord => ({
  pid,
  bootId: null,
  pidNamespace: null,
  startTime: null,
  token: '',
});

export type HolderVerdict = { held: false } | { held: true; heartbeatAgeMs?: number };

/**
 * Whether the recorded holder still runs. Each fact is used only where it means something: the boot id
 * across reboots, the pid and its start time inside one PID namespace, and the heartbeat where we cannot
 * see the holder's processes at all (another container on the same volume, or no /proc).
 */
export function judgeHolder(record: LockRecord, heartbeatAgeMs: number): HolderVerdict {
  const self = processIdentity();
  if (record.bootId && self.bootId && record.bootId !== self.bootId) return { held: false };
  // Unknown on either side (no /proc, or a bare pid from an older server): only the pid can be checked.
  const sameNamespace =
    !record.pidNamespace || !self.pidNamespace || record.pidNamespace === self.pidNamespace;
  if (!sameNamespace) {
    return heartbeatAgeMs < STALE_AFTER_MS ? { held: true, heartbeatAgeMs } : { held: false };
  }
  // Our own pid counts as held too: a second open in this process would corrupt the folder as well.
  // A bare pid equal to ours was written by an earlier process (this one writes records): the restart loop
  // on "held by process 1" in a container.
  if (record.pid === process.pid) {
    return record.token !== '' && record.startTime === self.startTime ? { held: true } : { held: false };
  }
  if (!isAlive(record.pid)) return { held: false };
  if (record.startTime !== null) {
    const now = readProcessStartTime(record.pid);
    if (now !== null) return now === record.startTime ? { held: true } : { held: false };
  }
  // A live pid we cannot tell apart from a reused one (no /proc, or an older lock): the heartbeat decides.
  return record.token === '' || heartbeatAgeMs < STALE_AFTER_MS ? { held: true } : { held: false };
}

/** Moves the stale file aside and removes it only if it is still the one judged (no racing takeover). */
function removeStale(file: string, judged: LockRecord) {
  const aside = `${file}.stale-${randomUUID()}`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = readRecord(aside)?.record;
  if (moved && moved.token !== judged.token) {
    // Another server took over between our read and our rename: give its lock back.
    try {
      fs.linkSync(aside, file);
    } catch {
      // a third one is there already; the next attempt judges it
    }
  }
  fs.rmSync(aside, { force: true });
}

function startHeartbeat(file: string): Worker {
  // A worker thread: it keeps beating while PGlite's long synchronous work holds the main thread.
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const fs = require('node:fs');
     setInterval(() => { try { const t = new Date(); fs.utimesSync(workerData.file, t, t); } catch {} }, workerData.ms);`,
    // No inherited flags (the tsx loader, --input-type): the beat is plain CommonJS.
    { eval: true, execArgv: [], workerData: { file, ms: HEARTBEAT_MS } },
  );
  // A heartbeat that cannot run must not end the server; a holder without it is judged by pid as before.
  worker.on('error', () => undefined);
  worker.unref();
  return worker;
}

export type DataDirLock = { release(): void };

/**
 * PGlite has no lock between processes, and two writers corrupt the folder. The lock file is created
 * with O_EXCL so only one process wins; a lock whose holder is gone (judgeHolder) is taken over.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'motcua.lock');
  const self = processIdentity();
  const record: LockRecord = { pid: process.pid, ...self, token: randomUUID() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify(record));
      fs.closeSync(fd);
      const heartbeat = startHeartbeat(file);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        void heartbeat.terminate();
        try {
          if (readRecord(file)?.record?.token === record.token) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const found = readRecord(file);
      if (!found) continue;
      if (found.record) {
        const verdict = judgeHolder(found.record, found.heartbeatAgeMs);
        if (verdict.held) throw new DataDirLockedError(dataDir, found.record.pid, verdict.heartbeatAgeMs);
        removeStale(file, found.record);
      } else {
        removeStale(file, legacyRecord(0));
      }
    }
  }
  throw new Error(`Could not take the lock on ${dataDir}`);
}
