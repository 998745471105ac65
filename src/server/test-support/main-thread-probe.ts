import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** CPU time the main thread has run, in ms (Linux: its schedstat, in nanoseconds); null elsewhere. */
function mainThreadCpuMs(file: string): number | null {
  try {
    return Number(fs.readFileSync(file, 'latin1').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

export type ProbeReport = {
  /**
   * The most CPU time the main thread spent between two turns of a 5 ms timer: how long one stretch of
   * work held the event loop, whatever the machine's load (a thread waiting for a core runs no CPU).
   */
  maxBlockedMs: number;
  /** The event loop's largest delay in wall time (perf_hooks): includes the waits of a loaded machine. */
  maxDelayMs: number;
  ticks: number;
};

/**
 * Watches the main thread while work runs. The blocking figure is read from the thread's own CPU time
 * so that a busy 2-core machine (the thread waiting for a core) does not count as blocking; where
 * schedstat is missing it falls back to the timer's wall-time lag.
 */
export function startMainThreadProbe() {
  const file = `/proc/self/task/${process.pid}/schedstat`;
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let lastCpu = mainThreadCpuMs(file);
  let lastWall = performance.now();
  let maxBlockedMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const cpu = mainThreadCpuMs(file);
    const wall = performance.now();
    const spent = cpu !== null && lastCpu !== null ? cpu - lastCpu : wall - lastWall - 5;
    maxBlockedMs = Math.max(maxBlockedMs, spent);
    lastCpu = cpu;
    lastWall = wall;
    ticks++;
  }, 5);
  return {
    stop(): ProbeReport {
      clearInterval(timer);
      histogram.disable();
      return { maxBlockedMs, maxDelayMs: histogram.max / 1e6, ticks };
    },
  };
}
