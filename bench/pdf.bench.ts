/**
 * PDF work per second, measured on the functions themselves: forms 01 (with its QR code), 06 and 07 of
 * Circular 03/2025 and the birth-extract result, filled from the demo's returned dossier (every step from
 * intake to hand-back) of a seeded embedded database; one PAdES signature, a whole result (render,
 * officer, seal), opening a PKCS#12 (the app opens two per signed result) and verifying a signed result.
 * Floors in the same run: pdf-lib saving a one-page PDF in Helvetica (PDF work), node:crypto RSA-2048
 * SHA-256 signatures and verifications (signing). Each case runs alone in a process of its own, so its
 * peak RSS is its own; two HTTP rows (app.inject in the main process) show what a request adds.
 * Last, the PDF worker pool under hostile files (pdf-worker-rows.ts): verification and upload-check times
 * and the main thread's longest block, against verifying a normal signed file in this thread.
 * Run: npm run bench:pdf   (BENCH_SECONDS per case, default 3; BENCH_WARMUP_SECONDS, default 1)
 *      npm run bench:pdf -- --workers   (the worker pool rows only)
 */
import { fork } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign, verify, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { InjectOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import QRCode from 'qrcode';
import type { DB } from '../src/server/db/schema.ts';
import type { DossierRecord } from '../src/server/modules/documents/forms/form-context.ts';
import { FORMS } from '../src/server/modules/documents/forms/index.ts';
import { createPdfWriter } from '../src/server/modules/documents/pdf/pdf-writer.ts';
import type { ResultContext } from '../src/server/modules/documents/results/result-context.ts';
import { RESULT_BOOKS, renderResult } from '../src/server/modules/documents/results/result-templates.ts';
import {
  createKeyObjectSigner,
  type KeySigner,
  openPkcs12,
} from '../src/server/modules/signing/key-signer.ts';
import { signPdf } from '../src/server/modules/signing/pades.ts';
import { verifyPdfSignatures } from '../src/server/modules/signing/pdf-verifier.ts';
import { BIRTH, BIRTH_DETAILS } from '../src/server/test-support/dossier-helpers.ts';
import type { TestDatabase } from '../src/server/test-support/test-database.ts';
import { measurePdfWorkRows } from './pdf-worker-rows.ts';
import { percentile } from './pgbench.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
const COMMUNE = '30502';
const MB = 1024 * 1024;
const CHILD_FLAG = '--pdf-bench-case';

/** What each case's process is given: the dossier and the credentials, read once by the main process. */
type CaseInput = {
  record: DossierRecord;
  at: Date;
  signer: ResultContext['signer'];
  verifyUrl: string;
  officer: { p12: Uint8Array; pin: string };
  seal: { p12: Uint8Array; pin: string };
  anchors: Uint8Array[];
};
type Floor = 'pdf-lib' | 'RSA sign' | 'RSA verify';
type Operation = () => Promise<unknown>;
type Case = { label: string; floor: Floor; isFloor?: boolean; setup(input: CaseInput): Promise<Operation> };
type Measured = {
  perSecond: number;
  meanMs: number;
  /** CPU time of the whole process per operation: all its threads (GC, the embedded database). */
  cpuMs: number;
  p99Ms: number;
  bytes: number | null;
  heapBeforeMb: number;
  heapAfterMb: number;
  startRssMb: number | null;
  peakRssMb: number | null;
};

function resultContext(input: CaseInput): ResultContext<never> {
  const year = input.at.getUTCFullYear();
  return {
    record: input.record,
    details: BIRTH_DETAILS as never,
    number: { value: 1, year, label: RESULT_BOOKS.birth_extract.label(1, year) },
    issuedAt: input.at,
    signer: input.signer,
    verifyUrl: input.verifyUrl,
  };
}

function openKey({ p12, pin }: { p12: Uint8Array; pin: string }): KeySigner {
  const opened = openPkcs12(p12, pin);
  if (!opened) throw new Error('a demo PKCS#12 did not open with its PIN');
  return createKeyObjectSigner(opened);
}

/** The two signatures of a result as the results service asks for them: the officer's, then the seal. */
function requests(input: CaseInput) {
  const { code, units } = input.record;
  const location = units.competent.name;
  return {
    officer: {
      reason: `Ky duyet ket qua ho so ${code}`,
      location,
      name: input.signer.name,
      signingTime: input.at,
    },
    seal: {
      reason: `Dong dau so ket qua ho so ${code}`,
      location,
      name: `Uy ban nhan dan ${location}`,
      signingTime: new Date(input.at.getTime() + 1000),
    },
  };
}

async function signedResult(input: CaseInput, officer: KeySigner, seal: KeySigner) {
  const pdf = await renderResult('birth_extract', resultContext(input));
  const byOfficer = await signPdf(pdf, officer, requests(input).officer);
  return signPdf(byOfficer, seal, requests(input).seal);
}

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
// About the size of the signed attributes a PAdES signature signs.
const SIGNED_BYTES = randomBytes(400);

const CASES: Case[] = [
  {
    label: 'floor: pdf-lib, 1 page, Helvetica, save',
    floor: 'pdf-lib',
    isFloor: true,
    setup: async () => async () => {
      const doc = await PDFDocument.create();
      const font = await doc.embedFont(StandardFonts.Helvetica);
      doc.addPage([595.28, 841.89]).drawText('GIAY TIEP NHAN HO SO', { x: 85, y: 780, size: 13, font });
      return doc.save({ useObjectStreams: false });
    },
  },
  {
    label: 'form 01 receipt (QR code)',
    floor: 'pdf-lib',
    setup: async (i) => () => FORMS['01'].render(i.record, i.at),
  },
  {
    label: 'form 06 control slip',
    floor: 'pdf-lib',
    setup: async (i) => () => FORMS['06'].render(i.record, i.at),
  },
  {
    label: 'form 07 register extract',
    floor: 'pdf-lib',
    setup: async (i) => () => FORMS['07'].render(i.record, i.at),
  },
  {
    label: 'result: birth extract (QR code)',
    floor: 'pdf-lib',
    setup: async (i) => () => renderResult('birth_extract', resultContext(i)),
  },
  {
    label: '  part: blank A4, 3 fonts subset, save',
    floor: 'pdf-lib',
    setup: async (i) => async () =>
      (await createPdfWriter({ title: 'x', subject: 'x', author: 'x', createdAt: i.at })).finish(),
  },
  {
    label: "  part: form 01's QR code as PNG",
    floor: 'pdf-lib',
    setup: async (i) => () =>
      QRCode.toBuffer(i.record.trackingUrl, { errorCorrectionLevel: 'M', margin: 2, scale: 6 }),
  },
  {
    label: 'floor: RSA-2048 SHA-256 sign (node:crypto)',
    floor: 'RSA sign',
    isFloor: true,
    setup: async () => {
      const { privateKey } = rsa();
      return async () => sign('sha256', SIGNED_BYTES, privateKey);
    },
  },
  {
    label: 'PAdES signature (officer), birth extract',
    floor: 'RSA sign',
    setup: async (i) => {
      const pdf = await renderResult('birth_extract', resultContext(i));
      const officer = openKey(i.officer);
      return () => signPdf(pdf, officer, requests(i).officer);
    },
  },
  {
    label: 'open PKCS#12 with the PIN (node-forge)',
    floor: 'RSA sign',
    setup: async (i) => async () => openKey(i.officer),
  },
  {
    label: 'full result: render + officer + seal',
    floor: 'RSA sign',
    setup: async (i) => {
      const [officer, seal] = [openKey(i.officer), openKey(i.seal)];
      return () => signedResult(i, officer, seal);
    },
  },
  {
    label: 'floor: RSA-2048 SHA-256 verify (node:crypto)',
    floor: 'RSA verify',
    isFloor: true,
    setup: async () => {
      const { privateKey, publicKey } = rsa();
      const signature = sign('sha256', SIGNED_BYTES, privateKey);
      return async () => verify('sha256', SIGNED_BYTES, publicKey, signature);
    },
  },
  {
    label: 'verify a signed result (2 signatures)',
    floor: 'RSA verify',
    setup: async (i) => {
      const pdf = await signedResult(i, openKey(i.officer), openKey(i.seal));
      const anchors = i.anchors.map((der) => new X509Certificate(der));
      if (!verifyPdfSignatures(pdf, anchors).valid) throw new Error('the signed result does not verify');
      return async () => verifyPdfSignatures(pdf, anchors);
    },
  },
];

/**
 * Runs an operation one at a time for SECONDS of time spent inside it, after a warm-up; `prepare` (untimed)
 * makes each operation's input. Per second = operations / seconds inside them.
 */
async function measure<P>(
  op: (p: P) => Promise<unknown>,
  prepare: () => Promise<P>,
  startRss: number | null,
) {
  const warmUntil = performance.now() + WARMUP_S * 1000;
  for (let n = 0; n < 3 || performance.now() < warmUntil; n++) await op(await prepare());
  const heapBefore = process.memoryUsage().heapUsed;
  const times: number[] = [];
  let busy = 0;
  let cpuMicros = 0;
  let last: unknown;
  while (busy < SECONDS * 1000 || times.length < 3) {
    const input = await prepare();
    const cpu = process.cpuUsage();
    const t = performance.now();
    last = await op(input);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    cpuMicros += used.user + used.system;
    times.push(ms);
    busy += ms;
  }
  times.sort((a, b) => a - b);
  return {
    perSecond: times.length / (busy / 1000),
    meanMs: busy / times.length,
    cpuMs: cpuMicros / 1000 / times.length,
    p99Ms: percentile(times, 99),
    bytes: sizeOf(last),
    heapBeforeMb: heapBefore / MB,
    heapAfterMb: process.memoryUsage().heapUsed / MB,
    startRssMb: startRss === null ? null : startRss / MB,
    peakRssMb: startRss === null ? null : peakRssMb(),
  } satisfies Measured;
}

const unprepared = async () => undefined;

/**
 * The process's peak resident set: VmHWM on Linux, where getrusage's maxRSS of a spawned child starts
 * from what the parent had at the fork (it survives exec); maxRSS elsewhere.
 */
function peakRssMb(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** The size of what an operation made: a PDF's bytes, or the size a signing answer reports. */
function sizeOf(output: unknown): number | null {
  if (output instanceof Uint8Array) return output.length;
  const reported = (output as { sizeBytes?: unknown } | null)?.sizeBytes;
  return typeof reported === 'number' ? reported : null;
}

/** One case in a fresh process of its own: its figures, its peak RSS, and nothing left of earlier cases. */
function runInChild(index: number, input: CaseInput): Promise<Measured> {
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let report: Measured | null = null;
    child.once('message', (m) => {
      report = m as Measured;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      report ? resolve(report) : reject(new Error(`case "${CASES[index]?.label}" exited with ${code}`)),
    );
    child.send({ index, input });
  });
}

/** The demo's returned dossier as the forms see it, the leader who signs, and the credentials. */
async function loadInput(db: Kysely<DB>) {
  const [
    units,
    unitsRepo,
    calendar,
    catalog,
    dossiers,
    identity,
    record,
    signing,
    demo,
    pki,
    results,
    atRest,
  ] = await Promise.all([
    import('../src/server/modules/units/units.service.ts'),
    import('../src/server/modules/units/units.repository.ts'),
    import('../src/server/modules/calendar/calendar.service.ts'),
    import('../src/server/modules/catalog/catalog.service.ts'),
    import('../src/server/modules/dossiers/dossiers.service.ts'),
    import('../src/server/modules/identity/identity.service.ts'),
    import('../src/server/modules/documents/dossier-record.ts'),
    import('../src/server/modules/signing/signing.repository.ts'),
    import('../src/server/db/seed/demo-data.ts'),
    import('../src/server/modules/signing/demo-pki.ts'),
    import('../src/server/modules/documents/results/results.service.ts'),
    import('../src/server/modules/signing/at-rest.ts'),
  ]);
  const { TEST_SEAL_PASSPHRASE } = await import('../src/server/test-support/test-database.ts');
  const now = () => new Date();
  const unitsService = units.createUnitsService(unitsRepo.createUnitsRepository(db));
  const catalogService = catalog.createCatalogService(db);
  const calendarService = calendar.createCalendarService(db, unitsService);
  const identityService = identity.createIdentityService(db, { sessionTtlHours: 1 });
  const dossiersService = dossiers.createDossiersService({
    db,
    identity: identityService,
    catalog: catalogService,
    calendar: calendarService,
    units: unitsService,
    now,
  });
  const publicUrl = 'http://localhost:3000';
  const loadRecord = record.createRecordLoader({
    dossiers: dossiersService,
    units: unitsService,
    identity: identityService,
    publicUrl,
  });
  const origin = { requestId: 'pdf-bench', ip: null, userAgent: 'pdf-bench' };
  const { token } = await identityService.login(`leader.${COMMUNE}`, demo.DEMO_PASSWORD, origin);
  const staff = (await identityService.findSession(token))?.principal;
  if (!staff) throw new Error('no session for the demo leader');
  const rows = await db
    .selectFrom('dossier')
    .select(['id', 'snapshot'])
    .where('receiving_unit_code', '=', COMMUNE)
    .execute();
  const returned = rows.find((r) => (r.snapshot as { state?: string }).state === 'returned');
  if (!returned) throw new Error(`no returned demo dossier in ${COMMUNE}`);
  const dossier = await loadRecord({ ...origin, staff }, returned.id, 'dossier.form.read', { form: 'bench' });
  for (const no of ['01', '06', '07'] as const) {
    const missing = FORMS[no].missing(dossier);
    if (missing) throw new Error(`form ${no} of ${dossier.code}: ${missing}`);
  }
  const repo = signing.createSigningRepository();
  const officer = await repo.findOfficerCredential(db, staff.id);
  const seal = await repo.findSealCredential(db, dossier.units.competent.code);
  if (!officer?.pkcs12 || !seal?.pkcs12) throw new Error('the demo credentials are missing');
  return {
    id: returned.id,
    input: {
      record: dossier,
      at: now(),
      signer: { name: staff.fullName, role: staff.role },
      verifyUrl: results.verifyUrl(publicUrl, dossier.code),
      // Kept sealed under the server passphrase in the database; the case opens it with the PIN.
      officer: { p12: atRest.readAtRest(TEST_SEAL_PASSPHRASE, officer.pkcs12), pin: pki.DEMO_SIGNING_PIN },
      seal: { p12: seal.pkcs12, pin: TEST_SEAL_PASSPHRASE },
      anchors: (await repo.listAuthorities(db)).map((a) => a.certificate),
    } satisfies CaseInput,
  };
}

type Headers = Record<string, string>;

/** The HTTP rows, through app.inject on the same database: form 01, and signing a freshly approved birth. */
async function measureHttp(database: TestDatabase, id: number) {
  const [{ buildApp }, { DEMO_PASSWORD }, { DEMO_SIGNING_PIN }, { TEST_SEAL_PASSPHRASE }, load] =
    await Promise.all([
      import('../src/server/app.ts'),
      import('../src/server/db/seed/demo-data.ts'),
      import('../src/server/modules/signing/demo-pki.ts'),
      import('../src/server/test-support/test-database.ts'),
      import('./load-requests.ts'),
    ]);
  const app = await buildApp({ database, fileStore: database.files, sealPassphrase: TEST_SEAL_PASSPHRASE });
  try {
    const call = async (status: number, options: InjectOptions) => {
      const res = await app.inject(options);
      if (res.statusCode !== status) throw new Error(`${options.url}: ${res.statusCode} ${res.body}`);
      return res;
    };
    const login = async (role: string): Promise<Headers> => {
      const payload = { username: `${role}.${COMMUNE}`, password: DEMO_PASSWORD };
      const res = await call(200, { method: 'POST', url: '/api/auth/login', payload });
      const cookie = res.cookies.find((c) => c.name === 'motcua_session');
      return { cookie: `motcua_session=${cookie?.value}`, 'x-csrf-token': res.json().csrfToken };
    };
    const reception = await login('reception');
    const specialist = await login('specialist');
    const head = await login('head');
    const leader = await login('leader');
    const form = await measure(
      async () => (await call(200, { url: `/api/dossiers/${id}/forms/01.pdf`, headers: leader })).rawPayload,
      unprepared,
      null,
    );

    const specialistId = (await call(200, { url: '/api/auth/me', headers: specialist })).json().user.id;
    const procedure = (await call(200, { url: `/api/procedures/${BIRTH}` })).json().procedure as {
      components: { key: string; requirement: string }[];
    };
    const components = procedure.components.filter((c) => c.requirement === 'required').map((c) => c.key);
    const act = async (who: Headers, dossier: number, action: string, payload: object = {}) =>
      (
        await call(200, {
          method: 'POST',
          url: `/api/dossiers/${dossier}/actions/${action}`,
          headers: who,
          payload,
        })
      ).json();
    let n = 0;
    // A birth registration taken in and walked to the leader's approval: untimed, before each signature.
    const approvedBirth = async () => {
      const payload = { ...load.intakeBody(7_000_000 + n++, COMMUNE, components), procedureCode: BIRTH };
      const headers = { ...reception, 'idempotency-key': load.nextIdempotencyKey() };
      const dossier = (await call(201, { method: 'POST', url: '/api/dossiers', headers, payload })).json().id;
      await act(reception, dossier, 'assign', { assigneeId: specialistId });
      await act(specialist, dossier, 'forward');
      await act(head, dossier, 'forward');
      return { dossier, version: (await act(leader, dossier, 'approve')).version as number };
    };
    const signed = await measure(
      async ({ dossier, version }) => {
        const headers = { ...leader, 'idempotency-key': load.nextIdempotencyKey() };
        const payload = { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS, version };
        const url = `/api/dossiers/${dossier}/result/sign`;
        return (await call(201, { method: 'POST', url, headers, payload })).json() as { sizeBytes: number };
      },
      approvedBirth,
      null,
    );
    return { form, signed };
  } finally {
    await app.close();
  }
}

const fmt = (n: number | null, digits = 0) =>
  n === null || !Number.isFinite(n)
    ? '–'
    : n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  const heapAtStart = process.memoryUsage().heapUsed / MB;
  const loadAtStart = os.loadavg()[0] ?? 0;
  const { openTestDatabase } = await import('../src/server/test-support/test-database.ts');
  const { printTable } = await import('./bench-support.ts');
  const database = await openTestDatabase({ serverUrl: null });
  const heapSeeded = process.memoryUsage().heapUsed / MB;
  const rows: { label: string; floor: Floor; isFloor?: boolean; m: Measured }[] = [];
  let code = '';
  try {
    const { id, input } = await loadInput(database.db);
    code = input.record.code;
    for (const [index, c] of CASES.entries()) rows.push({ ...c, m: await runInChild(index, input) });
    const http = await measureHttp(database, id);
    rows.push({ label: 'HTTP GET …/forms/01.pdf (inject)', floor: 'pdf-lib', m: http.form });
    rows.push({ label: 'HTTP POST …/result/sign (inject)', floor: 'RSA sign', m: http.signed });
  } finally {
    await database.close();
  }

  const cpus = os.cpus();
  console.log(
    `\npdf benchmark (node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${os.platform()} ${os.arch()}; ` +
      `load average ${loadAtStart.toFixed(1)} → ${os.loadavg()[0]?.toFixed(1)}; dossier ${code}; ${SECONDS} s inside each case after ${WARMUP_S} s warm-up, one operation at a time)`,
  );
  const floors = new Map(rows.filter((r) => r.isFloor).map((r) => [r.floor, r.m.perSecond]));
  printTable(
    [
      'case',
      'per s',
      'mean ms',
      'p99 ms',
      'CPU ms',
      'KB',
      'vs floor',
      'floor',
      'RSS MB start→peak',
      'heap MB before→after',
    ],
    rows.map(({ label, floor, isFloor, m }) => [
      label,
      fmt(m.perSecond, m.perSecond < 100 ? 1 : 0),
      fmt(m.meanMs, 2),
      fmt(m.p99Ms, 2),
      fmt(m.cpuMs, 2),
      fmt(m.bytes === null ? null : m.bytes / 1024, 1),
      fmt(m.perSecond / (floors.get(floor) ?? Number.NaN), 3),
      isFloor ? '(floor)' : floor,
      m.startRssMb === null ? '(main process)' : `${fmt(m.startRssMb)}→${fmt(m.peakRssMb)}`,
      `${fmt(m.heapBeforeMb)}→${fmt(m.heapAfterMb)}`,
    ]),
  );
  console.log(
    "(per s: operations / seconds spent inside them; CPU ms: the process's CPU time per operation, all its " +
      'threads (GC; in the main process the embedded database too), steadier than wall time on a busy machine; ' +
      'vs floor: per s over the floor row of the same run; ' +
      'each non-HTTP case in a fresh process of its own: RSS at its start (node, tsx and the modules) and its ' +
      'peak; HTTP rows in the main process: form 01 includes loading the dossier and the audited read; ' +
      'signing includes opening both PKCS#12, numbering, storing and the state change in one transaction, ' +
      'not the untimed intake and approval before each)',
  );
  console.log(
    `main process: peak RSS ${fmt(peakRssMb())} MB (the embedded database, seeded); ` +
      `heap used ${fmt(heapAtStart)} MB at start, ${fmt(heapSeeded)} MB seeded, ${fmt(process.memoryUsage().heapUsed / MB)} MB at the end`,
  );
}

if (process.argv[2] === CHILD_FLAG) {
  const startRss = process.memoryUsage().rss;
  process.once('message', (order: { index: number; input: CaseInput }) => {
    const c = CASES[order.index];
    if (!c) throw new Error(`no case ${order.index}`);
    c.setup(order.input)
      .then((op) => measure(op, unprepared, startRss))
      .then((m) => process.send?.(m, () => process.exit(0)));
  });
} else if (process.argv[2] === '--workers') {
  await measurePdfWorkRows();
} else {
  await main();
  await measurePdfWorkRows();
}
