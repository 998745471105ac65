/**
 * The PDF worker pool under hostile files: time per verification or upload check through the pool, and
 * what the main thread felt meanwhile (its longest stretch of CPU between two turns of a 5 ms timer, and
 * the event loop's largest delay in wall time). Baseline of the same run: verifying a normal file with two
 * signatures in this thread. Part of `npm run bench:pdf`; `npm run bench:pdf -- --workers` runs it alone.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { DEFAULT_UPLOAD_LIMITS } from '../src/server/modules/documents/file-checks.ts';
import { createPdfWorkPool, defaultPdfWorkers } from '../src/server/modules/documents/pdf/pdf-work-pool.ts';
import {
  certificateToDer,
  createDemoAuthority,
  issueDemoCertificate,
} from '../src/server/modules/signing/demo-ca.ts';
import { createKeyObjectSigner } from '../src/server/modules/signing/key-signer.ts';
import { signPdf } from '../src/server/modules/signing/pades.ts';
import { verifyPdfSignatures } from '../src/server/modules/signing/pdf-verifier.ts';
import {
  fakeSignaturesAroundHeaders,
  manyObjects,
  transparentPng,
} from '../src/server/test-support/hostile-pdf.ts';
import { startMainThreadProbe } from '../src/server/test-support/main-thread-probe.ts';
import { printTable } from './print-table.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

type Row = {
  label: string;
  meanMs: number;
  p99Ms: number;
  maxBlockedMs: number;
  maxDelayMs: number;
  runs: number;
};

/** A one-page PDF signed by an officer, then by the unit's seal (both from a demo authority). */
async function twiceSigned() {
  const now = new Date();
  const root = await createDemoAuthority('Root CA bench', now);
  const signer = async (commonName: string) => {
    const c = await issueDemoCertificate(root, { commonName, organization: 'UBND' }, now);
    return createKeyObjectSigner({
      privateKey: createPrivateKey(c.privateKeyPem),
      certificates: [c, root].map((x) => certificateToDer(x.certificate)),
    });
  };
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('KET QUA: DONG Y', { x: 50, y: 700, size: 14 });
  const plain = await doc.save({ useObjectStreams: false });
  const request = { reason: 'Ky', location: 'Thoi Son', name: 'Can bo', signingTime: now };
  const byOfficer = await signPdf(plain, await signer('Cán bộ'), request);
  const sealed = await signPdf(byOfficer, await signer('Con dấu'), request);
  return { pdf: sealed, anchors: [new X509Certificate(certificateToDer(root.certificate))] };
}

/** Runs `op` one at a time for SECONDS (at least 3 runs) after one untimed run, the main thread watched. */
async function measure(label: string, op: () => Promise<unknown>): Promise<Row> {
  await op();
  const probe = startMainThreadProbe();
  const times: number[] = [];
  let busy = 0;
  while (busy < SECONDS * 1000 || times.length < 3) {
    const t = performance.now();
    await op();
    const ms = performance.now() - t;
    times.push(ms);
    busy += ms;
    // A turn of the event loop between runs, as between requests: the probe's timer gets its chance.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { maxBlockedMs, maxDelayMs } = probe.stop();
  times.sort((a, b) => a - b);
  const p99 = times[Math.min(times.length - 1, Math.ceil(0.99 * times.length) - 1)] as number;
  return { label, meanMs: busy / times.length, p99Ms: p99, maxBlockedMs, maxDelayMs, runs: times.length };
}

/** The rejection's code (the hostile uploads are refused), so a run that accepts one shows. */
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: { code?: string }) => e.code ?? 'error',
  );

export async function measurePdfWorkRows() {
  const { pdf, anchors } = await twiceSigned();
  const hostile = fakeSignaturesAroundHeaders(80_000);
  const atLimit = fakeSignaturesAroundHeaders(2_500_000);
  const parsed = manyObjects(40_000);
  const pool = createPdfWorkPool({ size: defaultPdfWorkers() });
  const limits = DEFAULT_UPLOAD_LIMITS;
  const outcomes: string[] = [];
  const rows: Row[] = [];
  try {
    if (!verifyPdfSignatures(pdf, anchors).valid) throw new Error('the twice-signed file does not verify');
    rows.push(
      await measure('baseline: verify, 2 signatures, this thread', async () =>
        verifyPdfSignatures(pdf, anchors),
      ),
    );
    rows.push(await measure('verify, 2 signatures, worker pool', () => pool.verify(pdf, anchors)));
    rows.push(
      await measure('verify, 2 fake sig. + 80,000 headers (640 KB), pool', () =>
        pool.verify(hostile, anchors),
      ),
    );
    rows.push(
      await measure('verify, 2 fake sig. + 2.5 M headers (20 MB), pool', () => pool.verify(atLimit, anchors)),
    );
    rows.push(
      await measure('upload check, 80,000 headers (640 KB), pool', async () =>
        outcomes.push(await outcome(pool.checkPdf('x.pdf', hostile, limits))),
      ),
    );
    rows.push(
      await measure('upload check, 40,000 objects, pdf-lib parse, pool', async () =>
        outcomes.push(await outcome(pool.checkPdf('x.pdf', parsed, limits))),
      ),
    );
    const scan = [{ name: 'a4.png', mediaType: 'image/png' as const, bytes: transparentPng(2480, 3508) }];
    rows.push(
      await measure('scans → PDF, A4 300 dpi PNG with alpha, pool', () => pool.scansToPdf(scan, 'x', limits)),
    );
  } finally {
    await pool.close();
  }
  const baseline = rows[0]?.meanMs ?? Number.NaN;
  const fmt = (n: number, digits = 1) =>
    n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(
    `\nPDF work off the main thread (${defaultPdfWorkers()} worker(s); ${SECONDS} s per row after one untimed run, one at a time)`,
  );
  printTable(
    [
      'case',
      'runs',
      'mean ms',
      'p99 ms',
      'vs baseline',
      'main thread max block ms',
      'event loop max delay ms',
    ],
    rows.map((r) => [
      r.label,
      r.runs,
      fmt(r.meanMs),
      fmt(r.p99Ms),
      `${fmt(r.meanMs / baseline, 1)}×`,
      fmt(r.maxBlockedMs),
      fmt(r.maxDelayMs),
    ]),
  );
  console.log(
    `(upload checks answered: ${[...new Set(outcomes)].join(', ')}; vs baseline: mean time over the first row's; ` +
      'max block: the most CPU the main thread ran between two turns of a 5 ms timer (the issue allows 100 ms); ' +
      'max delay: perf_hooks, wall time, includes waiting for a core on a busy machine)',
  );
}
