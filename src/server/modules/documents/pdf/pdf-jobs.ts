import { X509Certificate } from 'node:crypto';
import { AppError, type ErrorCode } from '../../../../core/errors.ts';
import { type VerificationReport, verifyPdfSignatures } from '../../signing/pdf-verifier.ts';
import { checkPdfBytes, type UploadLimits } from '../file-checks.ts';
import { type ScanFile, type ScanLimits, scansToPdf } from '../scan-images.ts';

/**
 * The PDF work that may take long on a hostile file, as messages a worker thread can take: plain data
 * only (bytes, DER certificates, numbers), so the same function runs in a worker or in this thread.
 */
export type PdfJob =
  | { kind: 'verify'; pdf: Uint8Array; anchors: Uint8Array[]; trustedTime: Date | null; now: Date | null }
  | { kind: 'checkPdf'; name: string; bytes: Uint8Array; limits: UploadLimits }
  | { kind: 'scansToPdf'; images: ScanFile[]; title: string; limits: ScanLimits };

/** An error as it crosses threads: an AppError keeps its code and parameters, anything else its message. */
export type WireError =
  | {
      app: true;
      code: ErrorCode;
      params: Record<string, string | number>;
      fields?: Record<string, string>;
      details?: Record<string, unknown>;
    }
  | { app: false; message: string; stack?: string };

export async function runPdfJob(job: PdfJob): Promise<VerificationReport | number | Uint8Array> {
  if (job.kind === 'verify') {
    const anchors = job.anchors.map((der) => new X509Certificate(der));
    return verifyPdfSignatures(job.pdf, anchors, {
      ...(job.trustedTime ? { trustedTime: job.trustedTime } : {}),
      ...(job.now ? { now: job.now } : {}),
    });
  }
  if (job.kind === 'scansToPdf') return scansToPdf(job.images, job.title, job.limits);
  return checkPdfBytes(job.name, job.bytes, job.limits);
}

export function toWireError(err: unknown): WireError {
  if (err instanceof AppError) {
    return {
      app: true,
      code: err.code,
      params: err.params,
      ...(err.fields ? { fields: err.fields } : {}),
      ...(err.details ? { details: err.details } : {}),
    };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { app: false, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

export function fromWireError(wire: WireError): Error {
  if (wire.app) return new AppError(wire.code, wire.params, wire.fields, wire.details);
  const err = new Error(`PDF worker: ${wire.message}`);
  if (wire.stack) err.stack = wire.stack;
  return err;
}
