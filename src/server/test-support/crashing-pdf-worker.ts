/**
 * The PDF worker (pdf-worker.ts) that also ends its thread, as a crash would, when asked to check a file
 * named crash.pdf: how the pool's tests make a worker die during a job.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerRequest } from '../modules/documents/pdf/pdf-worker.ts';

parentPort?.on('message', ({ job }: WorkerRequest) => {
  if (job.kind === 'checkPdf' && job.name === 'crash.pdf') process.exit(70);
});
await import('../modules/documents/pdf/pdf-worker.ts');
