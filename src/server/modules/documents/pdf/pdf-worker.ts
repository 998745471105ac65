/**
 * A PDF worker thread (started by pdf-work-pool.ts through pdf-worker-boot.mjs): takes one job at a
 * time and answers with its result or its error.
 */
import { parentPort } from 'node:worker_threads';
import { type PdfJob, runPdfJob, toWireError } from './pdf-jobs.ts';

export type WorkerRequest = { id: number; job: PdfJob };
export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: ReturnType<typeof toWireError> }
  | { ready: true };

const port = parentPort;
if (!port) throw new Error('pdf-worker.ts runs as a worker thread only');

port.on('message', async ({ id, job }: WorkerRequest) => {
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const value = await runPdfJob(job);
    // A made PDF goes back without a copy when it owns its whole buffer.
    if (value instanceof Uint8Array && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength)
      transfer = [value.buffer as ArrayBuffer];
    reply = { id, ok: true, value };
  } catch (err) {
    reply = { id, ok: false, error: toWireError(err) };
  }
  port.postMessage(reply, transfer);
});
port.postMessage({ ready: true } satisfies WorkerReply);
