import fs from 'node:fs';

export type ProcessIdentity = {
  bootId: string | null;
  pidNamespace: string | null;
  startTime: string | null;
};

function readOrNull(read: () => string): string | null {
  try {
    return read().trim() || null;
  } catch {
    return null; // no /proc: macOS, Windows
  }
}

/** The start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), or null. */
export function readProcessStartTime(pid: number): string | null {
  const stat = readOrNull(() => fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (!stat) return null;
  // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

/** Who this process is, across reboots, PID reuse and containers, as far as the OS tells. */
export function processIdentity(): ProcessIdentity {
  return {
    bootId: readOrNull(() => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
    pidNamespace: readOrNull(() => fs.readlinkSync('/proc/self/ns/pid')),
    startTime: readProcessStartTime(process.pid),
  };
}
