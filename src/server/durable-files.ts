import fs from 'node:fs/promises';

/**
 * Files that must survive a power cut once we say they are stored: the bytes are synced before the file
 * is linked or renamed into place, and the folder after it, so that the name is on disk too (a rename
 * alone may be lost with the folder's unsynced entry).
 */
export async function writeFileSynced(
  file: string,
  data: Uint8Array | string,
  options: { mode?: number } = {},
): Promise<void> {
  const handle = await fs.open(file, 'wx', options.mode ?? 0o666);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Syncs a folder's entries (a file just renamed or linked into it). */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
