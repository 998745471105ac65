import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.ts';
import { APPLICANT, type Headers, intakeBody, postIntake } from '../../../test-support/dossier-helpers.ts';
import {
  fakeSignaturesAroundHeaders,
  manyObjects,
  transparentPng,
} from '../../../test-support/hostile-pdf.ts';
import { startMainThreadProbe } from '../../../test-support/main-thread-probe.ts';
import { multipart } from '../../../test-support/multipart.ts';
import { createTestContext, type TestContext } from '../../../test-support/test-app.ts';
import { TEST_SEAL_PASSPHRASE } from '../../../test-support/test-database.ts';

// The limit on how long one verification or upload check may hold the event loop.
const MAX_BLOCK_MS = 100;

let ctx: TestContext;
let reception: Headers;
let dossierId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  reception = await ctx.login('reception.30502');
  const res = await postIntake(ctx.app, reception, intakeBody({ applicant: APPLICANT }));
  expect(res.statusCode, res.body).toBe(201);
  dossierId = res.json().id;
});
afterAll(() => ctx.close());

const verifyRequest = (bytes: Buffer): InjectOptions => {
  const { payload, contentType } = multipart([{ name: 'ket-qua.pdf', type: 'application/pdf', bytes }]);
  return { method: 'POST', url: '/api/verify', headers: { 'content-type': contentType }, payload };
};

const uploadRequest = (bytes: Buffer, name = 'de-nghi.pdf'): InjectOptions => {
  const { payload, contentType } = multipart([{ name, type: 'application/pdf', bytes }]);
  return {
    method: 'POST',
    url: `/api/dossiers/${dossierId}/components/giay_de_nghi/documents`,
    headers: { ...reception, 'content-type': contentType },
    payload,
  };
};

/**
 * Runs a request while the main thread is watched and /healthz is asked again and again: how long the
 * main thread was held at most, and how many health answers came while the request was still running.
 */
async function whileWatched(options: InjectOptions) {
  // The first job starts the worker threads: not what is measured.
  await ctx.app.inject(verifyRequest(fakeSignaturesAroundHeaders(10)));
  const probe = startMainThreadProbe();
  let done = false;
  const pending = ctx.app.inject(options).finally(() => {
    done = true;
  });
  let healthAnswers = 0;
  while (!done) {
    const health = await ctx.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    if (!done) healthAnswers++;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const res: LightMyRequestResponse = await pending;
  const report = probe.stop();
  if (process.env.PDF_WORK_PROBE_LOG) console.log(options.url, JSON.stringify(report), { healthAnswers });
  return { res, report, healthAnswers };
}

describe('heavy PDF work runs off the main thread', () => {
  it('two fake signatures around 80,000 object headers are reported invalid, and the event loop stays free', async () => {
    const hostile = fakeSignaturesAroundHeaders(80_000);
    expect(hostile.length).toBeGreaterThan(640_000);
    const { res, report, healthAnswers } = await whileWatched(verifyRequest(hostile));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ valid: false, modifiedAfterSigning: true, issuedHere: false });
    expect(body.signatures).toHaveLength(2);
    for (const s of body.signatures) {
      expect(s).toMatchObject({ valid: false, digestMatches: false, certificate: null });
      expect(s.problems).toEqual(['chữ ký bị hỏng, không đọc được']);
    }
    expect(report.maxBlockedMs, JSON.stringify(report)).toBeLessThan(MAX_BLOCK_MS);
    expect(healthAnswers).toBeGreaterThan(0);
  });

  it('a file at the size limit (20 MB of object headers between two fake signatures) is answered without holding the event loop', async () => {
    const atLimit = fakeSignaturesAroundHeaders(2_500_000);
    expect(atLimit.length).toBeGreaterThan(19_900_000);
    const { res, report, healthAnswers } = await whileWatched(verifyRequest(atLimit));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ valid: false, modifiedAfterSigning: true });
    expect(report.maxBlockedMs, JSON.stringify(report)).toBeLessThan(MAX_BLOCK_MS);
    expect(healthAnswers).toBeGreaterThan(0);
  });

  it('the same file uploaded to a dossier component is refused as damaged, and the event loop stays free', async () => {
    const { res, report, healthAnswers } = await whileWatched(
      uploadRequest(fakeSignaturesAroundHeaders(80_000)),
    );
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.code).toBe('FILE_CORRUPT');
    expect(res.json().error.message).toContain('đối tượng');
    expect(report.maxBlockedMs, JSON.stringify(report)).toBeLessThan(MAX_BLOCK_MS);
    expect(healthAnswers).toBeGreaterThan(0);
    const stored = await ctx.database.db
      .selectFrom('document')
      .select('id')
      .where('dossier_id', '=', dossierId)
      .execute();
    expect(stored).toEqual([]);
  });

  it('a file pdf-lib must parse for a while (20,000 objects, no catalogue) is refused without holding the event loop', async () => {
    const { res, report } = await whileWatched(uploadRequest(manyObjects(20_000)));
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'FILE_CORRUPT' });
    expect(report.maxBlockedMs, JSON.stringify(report)).toBeLessThan(MAX_BLOCK_MS);
  });

  it('a scan that must be decoded (an A4 page at 300 dpi with an alpha channel) becomes a PDF without holding the event loop', async () => {
    const { payload, contentType } = multipart([
      { name: 'trang-1.png', type: 'image/png', bytes: transparentPng(2480, 3508) },
    ]);
    const { res, report } = await whileWatched({
      method: 'POST',
      url: `/api/dossiers/${dossierId}/components/giay_de_nghi/documents`,
      headers: { ...reception, 'content-type': contentType },
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ mediaType: 'application/pdf', pages: 1, digitization: 'digitized' });
    expect(report.maxBlockedMs, JSON.stringify(report)).toBeLessThan(MAX_BLOCK_MS);
  });

  it('when every worker is busy and the queue is full, a check is answered 503 PDF_CHECKS_BUSY, not held or failed', async () => {
    const app = await buildApp({
      database: ctx.database,
      fileStore: ctx.database.files,
      sealPassphrase: TEST_SEAL_PASSPHRASE,
      pdfWork: { size: 1, queueLimit: 1 },
    });
    try {
      const hostile = fakeSignaturesAroundHeaders(80_000);
      const answers = await Promise.all([1, 2, 3, 4].map(() => app.inject(verifyRequest(hostile))));
      const statuses = answers.map((a) => a.statusCode).sort();
      expect(statuses, answers.map((a) => a.body).join('\n')).toEqual([200, 200, 503, 503]);
      const busy = answers.find((a) => a.statusCode === 503)?.json();
      expect(busy.error.code).toBe('PDF_CHECKS_BUSY');
      expect(busy.error.message).toMatch(/bận/);
      // Once the queue drains, the next one is taken.
      expect((await app.inject(verifyRequest(hostile))).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('a check over the time limit is stopped with a clear 422, and the next check is answered by a new worker', async () => {
    const app = await buildApp({
      database: ctx.database,
      fileStore: ctx.database.files,
      sealPassphrase: TEST_SEAL_PASSPHRASE,
      pdfWork: { size: 1, jobTimeoutMs: 100 },
    });
    try {
      // pdf-lib parses 24,000 objects for about half a second before it finds no catalogue.
      const slow = await app.inject(uploadRequest(manyObjects(24_000), 'nang.pdf'));
      expect(slow.statusCode, slow.body).toBe(422);
      expect(slow.json().error.code).toBe('PDF_CHECK_ABORTED');
      expect(slow.json().error.message).toBe(
        'Không kiểm tra được tệp "nang.pdf": việc kiểm tra quá 0,1 giây, tệp quá phức tạp hoặc có cấu trúc bất thường. Hãy lưu tệp thành một bản PDF mới (In → Lưu thành PDF) rồi gửi lại.',
      );
      const next = await app.inject(verifyRequest(fakeSignaturesAroundHeaders(10)));
      expect(next.statusCode, next.body).toBe(200);
      expect(next.json().signatures).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});
