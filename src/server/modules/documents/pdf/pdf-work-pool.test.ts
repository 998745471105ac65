import { X509Certificate } from 'node:crypto';
import { type PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../core/errors.ts';
import {
  fakeSignaturesAroundHeaders,
  manyObjects,
  transparentPng,
} from '../../../test-support/hostile-pdf.ts';
import { certificateToDer, createDemoAuthority } from '../../signing/demo-ca.ts';
import { verifyPdfSignatures } from '../../signing/pdf-verifier.ts';
import { DEFAULT_UPLOAD_LIMITS } from '../file-checks.ts';
import { createPdfWorkPool, defaultPdfWorkers, type PdfWork } from './pdf-work-pool.ts';

const CRASHING_WORKER = new URL('../../../test-support/crashing-pdf-worker.ts', import.meta.url).href;
const pools: PdfWork[] = [];
const pool = (options: Parameters<typeof createPdfWorkPool>[0], entry?: string) => {
  const p = createPdfWorkPool(options, undefined, entry);
  pools.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

async function pdfWithScript() {
  const doc = await PDFDocument.create();
  doc.addPage();
  const action = doc.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of('app.alert(1)') });
  doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(action as PDFDict));
  return doc.save();
}

/** The AppError a promise rejects with (any other outcome fails the test). */
async function appErrorOf(promise: Promise<unknown>) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('the PDF worker pool', () => {
  it('sizes itself to one or two workers, leaving a core to the main thread', () => {
    expect([1, 2]).toContain(defaultPdfWorkers());
  });

  it('answers as the checks do in this thread: page counts, and AppErrors with their code and parameters', async () => {
    const work = pool({ size: 1 });
    const doc = await PDFDocument.create();
    for (let i = 0; i < 3; i++) doc.addPage();
    expect(await work.checkPdf('ba-trang.pdf', await doc.save(), DEFAULT_UPLOAD_LIMITS)).toBe(3);
    const script = await appErrorOf(
      work.checkPdf('to-khai.pdf', await pdfWithScript(), DEFAULT_UPLOAD_LIMITS),
    );
    expect(script).toMatchObject({ code: 'FILE_HAS_SCRIPT', params: { name: 'to-khai.pdf' } });
    expect(String(script.params.found)).toContain('JavaScript');

    // An object stream that claims 30,000 objects is refused before pdf-lib would build them.
    const claims = Buffer.from(
      '%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 30000 /First 10 /Length 0 >>\nstream\n\nendstream\nendobj\n%%EOF\n',
    );
    const refused = await appErrorOf(work.checkPdf('nen.pdf', claims, DEFAULT_UPLOAD_LIMITS));
    expect(refused).toMatchObject({ code: 'FILE_CORRUPT', params: { name: 'nen.pdf' } });
    expect(String(refused.params.reason)).toContain('hơn 25.000 đối tượng');

    const root = await createDemoAuthority('Root CA thử', new Date());
    const anchors = [new X509Certificate(certificateToDer(root.certificate))];
    const hostile = fakeSignaturesAroundHeaders(1000);
    expect(await work.verify(hostile, anchors)).toEqual(verifyPdfSignatures(hostile, anchors));
    // The caller's bytes stay its own: the worker was given a copy.
    expect(hostile.length).toBeGreaterThan(8000);
    expect(work.stats()).toMatchObject({ workers: 1, busy: 0, queued: 0, replaced: 0 });
  });

  it('ends a worker that has had nothing to do for its idle time, and starts one for the next job', async () => {
    const work = pool({ size: 1, idleMs: 300 });
    const doc = await PDFDocument.create();
    doc.addPage();
    const bytes = await doc.save();
    expect(await work.checkPdf('mot-trang.pdf', bytes, DEFAULT_UPLOAD_LIMITS)).toBe(1);
    expect(work.stats()).toMatchObject({ workers: 1, busy: 0 });
    await expect.poll(() => work.stats().workers, { timeout: 10_000 }).toBe(0);
    expect(await work.checkPdf('mot-trang.pdf', bytes, DEFAULT_UPLOAD_LIMITS)).toBe(1);
    expect(work.stats()).toMatchObject({ workers: 1, replaced: 0 });
  });

  it('makes scans into one PDF, and hands the PDF back to the caller', async () => {
    const work = pool({ size: 1 });
    const png = transparentPng(300, 400);
    const made = await work.scansToPdf(
      [
        { name: 'a.png', mediaType: 'image/png', bytes: png },
        { name: 'b.png', mediaType: 'image/png', bytes: png },
      ],
      'Giấy đề nghị',
      DEFAULT_UPLOAD_LIMITS,
    );
    expect(Buffer.from(made.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect((await PDFDocument.load(made)).getPageCount()).toBe(2);
    // The caller's images are untouched: the worker was given copies.
    expect(png.length).toBeGreaterThan(100);
    const tooBig = await appErrorOf(
      work.scansToPdf(
        [{ name: 'to.png', mediaType: 'image/png', bytes: transparentPng(3200, 3200) }],
        'x',
        DEFAULT_UPLOAD_LIMITS,
      ),
    );
    expect(tooBig).toMatchObject({ code: 'IMAGE_TOO_MANY_PIXELS', params: { name: 'to.png' } });
  });

  it('refuses a job at once with PDF_CHECKS_BUSY when the workers and the queue are full', async () => {
    const work = pool({ size: 1, queueLimit: 1 });
    const slow = fakeSignaturesAroundHeaders(400_000);
    const first = work.verify(slow, []);
    const second = work.verify(slow, []);
    const third = await appErrorOf(work.verify(slow, []));
    expect(third.code).toBe('PDF_CHECKS_BUSY');
    expect(work.stats()).toMatchObject({ queued: 2 });
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    expect((await work.verify(slow, [])).signatures).toHaveLength(2);
  });

  it('ends a job over its time limit, replaces its worker, and takes the next job', async () => {
    const work = pool({ size: 1, jobTimeoutMs: 100 });
    await work.verify(fakeSignaturesAroundHeaders(10), []);
    // pdf-lib parses 24,000 objects for about half a second before it finds no catalogue.
    const stopped = await appErrorOf(work.checkPdf('nang.pdf', manyObjects(24_000), DEFAULT_UPLOAD_LIMITS));
    expect(stopped.code).toBe('PDF_CHECK_ABORTED');
    expect(stopped.params).toMatchObject({ what: 'tệp "nang.pdf"' });
    expect(String(stopped.params.reason)).toContain('0,1 giây');
    expect(work.stats()).toMatchObject({ workers: 0, replaced: 1 });
    expect((await work.verify(fakeSignaturesAroundHeaders(10), [])).signatures).toHaveLength(2);
    expect(work.stats()).toMatchObject({ workers: 1, replaced: 1 });
  });

  it('survives a worker that dies during a job: the job is answered 422, the next one by a new worker', async () => {
    // The real worker, which also ends its thread (as a crash would) on a file named crash.pdf.
    const work = pool({ size: 1 }, CRASHING_WORKER);
    expect(await work.checkPdf('mot-trang.pdf', await pdfWithOnePage(), DEFAULT_UPLOAD_LIMITS)).toBe(1);
    const crashed = await appErrorOf(
      work.checkPdf('crash.pdf', await pdfWithOnePage(), DEFAULT_UPLOAD_LIMITS),
    );
    expect(crashed.code).toBe('PDF_CHECK_ABORTED');
    expect(String(crashed.params.reason)).toContain('dừng giữa chừng');
    expect(work.stats()).toMatchObject({ workers: 0, replaced: 1 });
    expect(await work.checkPdf('mot-trang.pdf', await pdfWithOnePage(), DEFAULT_UPLOAD_LIMITS)).toBe(1);
    expect(work.stats()).toMatchObject({ workers: 1, replaced: 1 });
  });

  it('on close, answers waiting jobs PDF_CHECKS_BUSY and ends its workers', async () => {
    const work = pool({ size: 1, queueLimit: 4 });
    const slow = fakeSignaturesAroundHeaders(400_000);
    const jobs = [work.verify(slow, []), work.verify(slow, []), work.verify(slow, [])].map(appErrorOf);
    await work.close();
    expect((await Promise.all(jobs)).map((e) => e.code)).toEqual(Array(3).fill('PDF_CHECKS_BUSY'));
    expect((await appErrorOf(work.verify(slow, []))).code).toBe('PDF_CHECKS_BUSY');
    expect(work.stats()).toMatchObject({ workers: 0, queued: 0 });
  });
});

async function pdfWithOnePage() {
  const doc = await PDFDocument.create();
  doc.addPage();
  return doc.save();
}
