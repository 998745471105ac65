/**
 * A child process for the job runner's kill -9 test: on the embedded folder argv[2], runs the outbox
 * with one job kind that tells DELIVER_URL it is delivering job N (the side effect), then never finishes.
 */
import { z } from 'zod';
import { openDatabase } from '../db/connection.ts';
import { defineJob } from '../jobs/job-definition.ts';
import { createJobRunner } from '../jobs/job-runner.ts';

export const deliverJob = (onDeliver: (jobId: number, attempt: number) => Promise<void>) =>
  defineJob({
    kind: 'test.deliver',
    payload: z.object({ to: z.string() }),
    leaseMs: 2_000,
    run: (_payload, ctx) => onDeliver(ctx.jobId, ctx.attempt),
  });

if (process.argv[2]) {
  const database = await openDatabase({ kind: 'embedded', dataDir: process.argv[2] });
  const runner = createJobRunner({
    db: database.db,
    definitions: [
      deliverJob(async (jobId, attempt) => {
        await fetch(process.env.DELIVER_URL as string, {
          method: 'POST',
          body: JSON.stringify({ jobId, attempt }),
        });
        await new Promise(() => {});
      }),
    ],
    pollMs: 50,
  });
  runner.start();
}
