import type { X509Certificate } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../../core/errors.ts';
import { SERVER_SOURCE_DIR } from '../../../paths.ts';
import type { VerificationReport, VerifyOptions } from '../../signing/pdf-verifier.ts';
import type { UploadLimits } from '../file-checks.ts';
import type { ScanFile, ScanLimits } from '../scan-images.ts';
import { fromWireError, type PdfJob } from './pdf-jobs.ts';
import type { WorkerReply, WorkerRequest } from './pdf-worker.ts';

/** The PDF work a request may wait for: each call answers, or throws an AppError a client can read. */
export type PdfWork = {
  verify(pdf: Uint8Array, anchors: X509Certificate[], options?: VerifyOptions): Promise<VerificationReport>;
  /** checkPdfBytes (file-checks.ts): the page count, or the AppError naming the file. */
  checkPdf(name: string, bytes: Uint8Array, limits: UploadLimits): Promise<number>;
  /** scansToPdf (scan-images.ts): the images as one PDF; each image has the per-job time limit. */
  scansToPdf(images: ScanFile[], title: string, limits: ScanLimits): Promise<Uint8Array>;
  stats(): PdfWorkStats;
  close(): Promise<void>;
};

export type PdfWorkStats = { workers: number; busy: number; queued: number; replaced: number };

export type PdfPoolOptions = {
  /** Worker threads (each takes one job at a time). */
  size: number;
  /** Jobs that may wait for a worker; one more is answered 503 PDF_CHECKS_BUSY at once. */
  queueLimit: number;
  /** A job still running after this is stopped: its worker is ended and replaced, the job answered 422. */
  jobTimeoutMs: number;
  /**
   * A worker's heap: a file that needs more ends that worker. Best effort: Node may abort the whole
   * process for some allocation shapes (nodejs/node#47224), so the checks keep their memory bounded by the
   * file's size and object count far below it; this is the last line, not the bound.
   */
  maxMemoryMb: number;
  /** A worker with nothing to do for this long ends (its tens of MB go back); the next job starts one. */
  idleMs: number;
};

type Log = { warn(details: object, message: string): void };

/** One worker less than the cores, one or two: the main thread keeps a core for every other request. */
export function defaultPdfWorkers() {
  return Math.max(1, Math.min(2, os.availableParallelism() - 1));
}

export const DEFAULT_PDF_POOL: Omit<PdfPoolOptions, 'size'> = {
  queueLimit: 8,
  jobTimeoutMs: 10_000,
  maxMemoryMb: 512,
  idleMs: 60_000,
};

// From the sources, also when the server runs as a bundle (`npm start`): the worker loads them with tsx.
const PDF_SOURCES = path.join(SERVER_SOURCE_DIR, 'modules', 'documents', 'pdf');
const BOOT = pathToFileURL(path.join(PDF_SOURCES, 'pdf-worker-boot.mjs'));
const ENTRY = pathToFileURL(path.join(PDF_SOURCES, 'pdf-worker.ts')).href;

/** What the job checks and what the person can do when it cannot finish, for the 422. */
type Subject = { vi: string; en: string; advice: string; adviceEn: string };
type Task = {
  id: number;
  job: PdfJob;
  timeoutMs: number;
  transfer: ArrayBuffer[];
  subject: Subject;
  resolve(value: unknown): void;
  reject(err: Error): void;
};
type Slot = {
  worker: Worker;
  ready: boolean;
  task: Task | null;
  timer: NodeJS.Timeout | null;
  idle: NodeJS.Timeout | null;
};

const busy = () => new AppError('PDF_CHECKS_BUSY');

/** A copy of the caller's bytes that the worker takes over (the caller keeps its own, to store them). */
function transferable(bytes: Uint8Array) {
  const copy = new Uint8Array(bytes);
  return { copy, transfer: [copy.buffer as ArrayBuffer] };
}

/**
 * A small pool of worker threads for the PDF work a hostile file can make long (signature verification,
 * upload checks with pdf-lib's parse): the main thread only passes bytes and waits, so every other
 * request keeps being answered. Workers start on the first job and end after a minute without one; the queue is bounded; a job
 * over its time limit or a worker that dies (out of memory) is answered 422 and its worker replaced.
 */
export function createPdfWorkPool(
  options: Partial<PdfPoolOptions> = {},
  log?: Log,
  /** The worker's module: pdf-worker.ts; a test gives one that also crashes on demand. */
  entry: string = ENTRY,
): PdfWork {
  const settings: PdfPoolOptions = { size: defaultPdfWorkers(), ...DEFAULT_PDF_POOL, ...options };
  const size = Math.max(1, settings.size);
  const slots: Slot[] = [];
  const queue: Task[] = [];
  let nextId = 1;
  let replaced = 0;
  let closed = false;

  const aborted = (task: Task, cause: 'timeout' | 'crash') => {
    const seconds = Math.round(task.timeoutMs / 100) / 10;
    return new AppError('PDF_CHECK_ABORTED', {
      what: task.subject.vi,
      whatEn: task.subject.en,
      advice: task.subject.advice,
      adviceEn: task.subject.adviceEn,
      reason:
        cause === 'timeout'
          ? `việc kiểm tra quá ${seconds.toLocaleString('vi-VN')} giây, tệp quá phức tạp hoặc có cấu trúc bất thường`
          : 'việc kiểm tra dừng giữa chừng, tệp cần quá nhiều bộ nhớ hoặc có cấu trúc bất thường',
      reasonEn:
        cause === 'timeout'
          ? `checking it took over ${seconds} s, it is too complex or malformed`
          : 'the check stopped midway, the file needs too much memory or is malformed',
    });
  };

  /** The slot's job is over: its timer stops and an idle worker no longer keeps the process alive. */
  function release(slot: Slot) {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const task = slot.task;
    slot.task = null;
    slot.worker.unref();
    return task;
  }

  function remove(slot: Slot) {
    const at = slots.indexOf(slot);
    if (at < 0) return false;
    slots.splice(at, 1);
    return true;
  }

  /** A worker that errored or exited: its job is answered; one that never started fails the queue. */
  function lost(slot: Slot, err: Error) {
    if (!remove(slot)) return;
    const task = release(slot);
    if (closed) return;
    if (task) {
      log?.warn(
        { err: err.message, job: task.job.kind },
        'a PDF worker stopped during a job; it is replaced',
      );
      task.reject(aborted(task, 'crash'));
      replaced++;
    } else if (!slot.ready && !slots.some((s) => s.ready)) {
      // None could even start (a broken install): starting another would fail the same way.
      for (const waiting of queue.splice(0))
        waiting.reject(new Error(`PDF worker did not start: ${err.message}`));
      return;
    }
    pump();
  }

  function spawn() {
    const worker = new Worker(BOOT, {
      workerData: { entry },
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: settings.maxMemoryMb },
    });
    const slot: Slot = { worker, ready: false, task: null, timer: null, idle: null };
    slots.push(slot);
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        worker.unref();
        pump();
        return;
      }
      if (slot.task?.id !== reply.id) return;
      const task = release(slot) as Task;
      if (reply.ok) task.resolve(reply.value);
      else task.reject(fromWireError(reply.error));
      pump();
    });
    worker.on('error', (err) => lost(slot, err));
    worker.on('exit', (code) => lost(slot, new Error(`exited with code ${code}`)));
  }

  function dispatch(slot: Slot, task: Task) {
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
    slot.task = task;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      if (slot.task !== task || !remove(slot)) return;
      release(slot);
      log?.warn({ job: task.job.kind, limitMs: task.timeoutMs }, 'a PDF job ran over its time limit');
      void slot.worker.terminate();
      replaced++;
      task.reject(aborted(task, 'timeout'));
      pump();
    }, task.timeoutMs);
    slot.worker.postMessage({ id: task.id, job: task.job } satisfies WorkerRequest, task.transfer);
  }

  function pump() {
    while (queue.length > 0 && !closed) {
      const idle = slots.find((s) => s.ready && !s.task);
      if (idle) {
        dispatch(idle, queue.shift() as Task);
        continue;
      }
      const starting = slots.filter((s) => !s.ready).length;
      if (slots.length >= size || starting >= queue.length) break;
      spawn();
    }
    for (const slot of slots) {
      if (!slot.ready || slot.task || slot.idle) continue;
      slot.idle = setTimeout(() => {
        slot.idle = null;
        if (!slot.task && remove(slot)) void slot.worker.terminate();
      }, settings.idleMs);
      slot.idle.unref();
    }
  }

  function submit<T>(
    job: PdfJob,
    transfer: ArrayBuffer[],
    subject: Subject,
    timeoutMs = settings.jobTimeoutMs,
  ): Promise<T> {
    if (closed) return Promise.reject(busy());
    const running = slots.filter((s) => s.task).length;
    if (running + queue.length >= size + settings.queueLimit) return Promise.reject(busy());
    return new Promise<T>((resolve, reject) => {
      const task = { id: nextId++, job, timeoutMs, transfer, subject };
      queue.push({ ...task, resolve: resolve as (v: unknown) => void, reject });
      pump();
    });
  }

  return {
    verify(pdf, anchors, verifyOptions = {}) {
      const { copy, transfer } = transferable(pdf);
      const job: PdfJob = {
        kind: 'verify',
        pdf: copy,
        anchors: anchors.map((a) => new Uint8Array(a.raw)),
        trustedTime: verifyOptions.trustedTime ?? null,
        now: verifyOptions.now ?? null,
      };
      return submit<VerificationReport>(job, transfer, {
        vi: 'tệp PDF',
        en: 'The PDF',
        advice: 'Tệp này không giống một kết quả do hệ thống cấp.',
        adviceEn: 'It does not look like a result this system issued.',
      });
    },
    checkPdf(name, bytes, limits) {
      const { copy, transfer } = transferable(bytes);
      return submit<number>({ kind: 'checkPdf', name, bytes: copy, limits }, transfer, {
        vi: `tệp "${name}"`,
        en: `"${name}"`,
        advice: 'Hãy lưu tệp thành một bản PDF mới (In → Lưu thành PDF) rồi gửi lại.',
        adviceEn: 'Save it as a new PDF (Print → Save as PDF) and send it again.',
      });
    },
    scansToPdf(images, title, limits) {
      const copies = images.map((image) => ({ ...image, ...transferable(image.bytes) }));
      const job: PdfJob = {
        kind: 'scansToPdf',
        images: copies.map(({ name, mediaType, copy }) => ({ name, mediaType, bytes: copy })),
        title,
        limits: { maxPixels: limits.maxPixels, maxRequestPixels: limits.maxRequestPixels },
      };
      const subject = {
        vi: 'các ảnh quét',
        en: 'The scans',
        advice: 'Hãy quét lại ở độ phân giải thấp hơn, hoặc lưu ảnh dạng JPEG, rồi gửi lại.',
        adviceEn: 'Scan them again at a lower resolution, or save them as JPEG, and send them again.',
      };
      const timeoutMs = settings.jobTimeoutMs * Math.max(1, images.length);
      return submit<Uint8Array>(
        job,
        copies.flatMap((c) => c.transfer),
        subject,
        timeoutMs,
      );
    },
    stats() {
      return {
        workers: slots.length,
        busy: slots.filter((s) => s.task).length,
        queued: queue.length,
        replaced,
      };
    },
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.reject(busy());
      const ending = slots.splice(0).map((slot) => {
        release(slot)?.reject(busy());
        return slot.worker.terminate();
      });
      await Promise.all(ending);
    },
  };
}
