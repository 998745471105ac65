/**
 * The closed-loop load generator, run as its own process (forked by bench-support's drive) so that it
 * never shares the server's event loop — as pgbench's client is a process apart from PostgreSQL. It takes
 * one message { url, groups, seconds }, runs one autocannon instance per group, all together, and answers
 * with the counts and every response time of a 2xx, sorted, for exact percentiles over the groups.
 */
import autocannon from 'autocannon';
import { type LoadGroup, requestsOf } from './load-requests.ts';

export type DriveOrder = { url: string; groups: LoadGroup[]; seconds: number };
export type DriveReport = {
  ok: number;
  errors: number;
  firstError: string | null;
  elapsedS: number;
  latencies: number[];
  cpuMs: number;
};

async function driveOnce({ url, groups, seconds }: DriveOrder): Promise<DriveReport> {
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    groups.map((group) => {
      const build = requestsOf(group);
      let n = 0;
      return new Promise<void>((resolve, reject) => {
        const instance = autocannon(
          {
            url,
            connections: group.connections,
            duration: seconds,
            timeout: 30,
            requests: [
              {
                setupRequest: (req) => {
                  const r = build(n++);
                  return {
                    ...req,
                    method: r.method,
                    path: r.path,
                    headers: r.headers ?? {},
                    body: r.body ?? '',
                  };
                },
                onResponse: (status, body) => {
                  if (status >= 300 && firstError === null) firstError = `${status} ${body.slice(0, 300)}`;
                },
              },
            ],
          },
          (err, result) => {
            if (err) return reject(err);
            // result.errors counts socket errors and timeouts both (a timeout is also an error).
            errors += result.errors;
            resolve();
          },
        );
        instance.on('reqError', (err: Error) => {
          if (firstError === null) firstError = `request error: ${err.message}`;
        });
        instance.on('response', (_client, status, _bytes, responseTime) => {
          if (status >= 200 && status < 300) {
            ok++;
            latencies.push(responseTime);
          } else {
            errors++;
          }
        });
      });
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return { ok, errors, firstError, elapsedS, latencies, cpuMs: (cpu.user + cpu.system) / 1000 };
}

process.once('message', (order: DriveOrder) => {
  driveOnce(order).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
