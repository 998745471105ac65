import fs from 'node:fs';
import path from 'node:path';

export type StorageCause = 'full' | 'read-only' | 'not-a-folder' | 'not-writable' | 'io';

const CAUSE_TEXT: Record<StorageCause, { vi: string; en: string }> = {
  full: { vi: 'ổ đĩa đã đầy', en: 'the disk is full' },
  'read-only': { vi: 'ổ đĩa chỉ cho phép đọc', en: 'the disk is read-only' },
  'not-a-folder': { vi: 'đường dẫn không phải là thư mục', en: 'the path is not a folder' },
  'not-writable': { vi: 'không có quyền ghi', en: 'no permission to write' },
  io: { vi: 'lỗi đọc ghi ổ đĩa', en: 'a disk input/output error' },
};

const NODE_CODES: Record<string, StorageCause> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read-only',
  ENOTDIR: 'not-a-folder',
  EEXIST: 'not-a-folder',
  EACCES: 'not-writable',
  EPERM: 'not-writable',
  EIO: 'io',
};

// PGlite's file system is Emscripten's: its ErrnoError carries Emscripten's errno numbers, not the OS's.
const EMSCRIPTEN_ERRNOS: Record<number, StorageCause> = {
  51: 'full', // ENOSPC
  19: 'full', // EDQUOT
  69: 'read-only', // EROFS
  54: 'not-a-folder', // ENOTDIR
  2: 'not-writable', // EACCES
  63: 'not-writable', // EPERM
  29: 'io', // EIO
};

// PostgreSQL's SQLSTATEs for the same: disk_full and its class, read_only_sql_transaction, io_error.
const SQLSTATES: Record<string, StorageCause> = {
  '53100': 'full',
  '25006': 'read-only',
  '58030': 'io',
};

/** The storage failure behind an error (Node, PGlite or PostgreSQL), or null for any other error. */
export function storageCause(err: unknown): StorageCause | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, errno, name, message } = e as {
      code?: unknown;
      errno?: unknown;
      name?: unknown;
      message?: unknown;
    };
    if (typeof code === 'string' && NODE_CODES[code]) return NODE_CODES[code];
    if (typeof code === 'string' && SQLSTATES[code]) return SQLSTATES[code];
    if (name === 'ErrnoError' && typeof errno === 'number' && EMSCRIPTEN_ERRNOS[errno])
      return EMSCRIPTEN_ERRNOS[errno];
    if (typeof message === 'string') {
      if (/could not extend file|no space left on device/i.test(message)) return 'full';
      if (/read-only file system/i.test(message)) return 'read-only';
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** A start that cannot write its data folder: one line in Vietnamese and English, exit code 2. */
export class StorageUnavailableError extends Error {
  constructor(
    readonly folder: string,
    readonly storage: StorageCause,
  ) {
    const text = CAUSE_TEXT[storage];
    super(
      `Không ghi được vào thư mục dữ liệu ${folder}: ${text.vi}. (Cannot write to the data folder ${folder}: ${text.en}.)`,
    );
    this.name = 'StorageUnavailableError';
  }
}

/** Writes, flushes and removes a tiny file in the folder: the cheapest proof that writes reach the disk. */
export function probeFolderWrite(folder: string): StorageCause | null {
  const file = path.join(folder, `.write-probe-${process.pid}`);
  try {
    const stat = fs.statSync(folder, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) return 'not-a-folder';
    if (!stat) fs.mkdirSync(folder, { recursive: true });
    const fd = fs.openSync(file, 'w');
    try {
      // A page, not a byte: a full file system may still take a byte into a block it has.
      fs.writeSync(fd, Buffer.alloc(8192));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
    }
    return null;
  } catch (err) {
    fs.rmSync(file, { force: true });
    return storageCause(err) ?? 'io';
  }
}
