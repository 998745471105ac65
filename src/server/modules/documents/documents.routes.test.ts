import { crc32 } from 'node:zlib';
import { type PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICANT, type Headers, intakeBody, postIntake } from '../../test-support/dossier-helpers.ts';
import { multipart, type Part } from '../../test-support/multipart.ts';
import { giveStoreConsent, recordVerifiedCitizen } from '../../test-support/store-consent.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { sha256Of } from './file-store.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAYABgAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==',
  'base64',
);

async function pdf(pages = 1, text = 'Giấy đề nghị'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(text);
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]);
  return Buffer.from(await doc.save());
}

/** A PDF that runs JavaScript when opened (an OpenAction of type JavaScript). */
async function pdfWithScript(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage();
  const action = doc.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of('app.alert(1)') });
  doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(action as PDFDict));
  return Buffer.from(await doc.save({ useObjectStreams: true }));
}

/** A PDF carrying another file (an attachment in the EmbeddedFiles name tree). */
async function pdfWithAttachment(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage();
  await doc.attach(Buffer.from('MZ program'), 'hoa-don.exe', { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save());
}

/** A PNG whose header claims 6000 × 6000 pixels: decoding it would take ~140 MB. */
function hugePng(): Buffer {
  const png = Buffer.from(PNG);
  png.writeUInt32BE(6000, 16);
  png.writeUInt32BE(6000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

let ctx: TestContext;
let reception: Headers;
let foreignReception: Headers;
let province: Headers;

beforeAll(async () => {
  ctx = await createTestContext({ uploadLimits: { maxBytes: 64 * 1024, maxPages: 5, maxPixels: 1_000_000 } });
  reception = await ctx.login('reception.30502');
  foreignReception = await ctx.login('reception.30112');
  province = await ctx.login('province.91');
});
afterAll(() => ctx.close());

async function intake(citizenId = APPLICANT.citizenId) {
  const res = await postIntake(ctx.app, reception, intakeBody({ applicant: { ...APPLICANT, citizenId } }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; code: string };
}

function upload(headers: Headers, id: number, key: string, parts: Part[]) {
  const { payload, contentType } = multipart(parts);
  return ctx.app.inject({
    method: 'POST',
    url: `/api/dossiers/${id}/components/${key}/documents`,
    headers: { ...headers, 'content-type': contentType },
    payload,
  });
}

async function counts() {
  const files = await ctx.database.db
    .selectFrom('stored_file')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const docs = await ctx.database.db
    .selectFrom('document')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { files: Number(files.n), documents: Number(docs.n) };
}

describe('digitizing a component', () => {
  it('stores a PDF once by its digest, records who digitized it, and gives the same bytes back', async () => {
    const dossier = await intake();
    const bytes = await pdf(2);
    const res = await upload(reception, dossier.id, 'giay_de_nghi', [
      { name: 'đề nghị.pdf', type: 'application/pdf', bytes },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const doc = res.json();
    expect(doc).toMatchObject({
      componentKey: 'giay_de_nghi',
      digitization: 'digitized',
      mediaType: 'application/pdf',
      pages: 2,
      sizeBytes: bytes.length,
      sha256: sha256Of(bytes),
      reusedFrom: null,
    });
    expect(doc.createdBy.name).toBeTruthy();

    const again = await upload(reception, dossier.id, 'giay_de_nghi', [
      { name: 'lại.pdf', type: 'application/pdf', bytes },
    ]);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(doc.id);

    const list = await ctx.app.inject({ url: `/api/dossiers/${dossier.id}/documents`, headers: reception });
    expect(list.statusCode).toBe(200);
    const component = list.json().components.find((c: { key: string }) => c.key === 'giay_de_nghi');
    expect(component).toMatchObject({ digitization: 'digitized', digitizedBy: doc.createdBy });
    expect(component.documents).toHaveLength(1);
    const others = list.json().components.filter((c: { key: string }) => c.key !== 'giay_de_nghi');
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((c: { digitization: string }) => c.digitization === 'not_digitized')).toBe(true);

    const file = await ctx.app.inject({ url: `/api/documents/${doc.id}/file`, headers: reception });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(sha256Of(file.rawPayload)).toBe(sha256Of(bytes));
    expect(file.headers['content-disposition']).toBe(
      `inline; filename="de nghi.pdf"; filename*=UTF-8''${encodeURIComponent('đề nghị.pdf')}`,
    );
    const downloads = await ctx.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'document.download')
      .where('entity_id', '=', String(dossier.id))
      .execute();
    expect(downloads.map((d) => (d.details as { document: number }).document)).toEqual([doc.id]);

    // The same bytes for another dossier: a new document, the file stored once.
    const before = await counts();
    const other = await intake();
    const shared = await upload(reception, other.id, 'giay_de_nghi', [
      { name: 'b.pdf', type: 'application/pdf', bytes },
    ]);
    expect(shared.statusCode).toBe(201);
    expect(await counts()).toEqual({ files: before.files, documents: before.documents + 1 });
  });

  it('turns scanned pages (JPEG and PNG) into one PDF, a page each', async () => {
    const dossier = await intake();
    const res = await upload(reception, dossier.id, 'giay_de_nghi', [
      { name: 'trang-1.jpg', type: 'image/jpeg', bytes: JPEG },
      { name: 'trang-2.png', type: 'image/png', bytes: PNG },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ mediaType: 'application/pdf', pages: 2 });
    const file = await ctx.app.inject({ url: `/api/documents/${res.json().id}/file`, headers: reception });
    expect((await PDFDocument.load(file.rawPayload)).getPageCount()).toBe(2);
  });

  it('refuses by content, not by name, and stores nothing', async () => {
    const dossier = await intake();
    const before = await counts();
    const cases: [Part[], number, string][] = [
      [
        [{ name: 'hoso.pdf', type: 'application/pdf', bytes: Buffer.from('MZ\x90\x00 this is a program') }],
        415,
        'FILE_TYPE_NOT_ALLOWED',
      ],
      [
        [
          {
            name: 'to-khai.pdf',
            type: 'application/pdf',
            bytes: Buffer.from('<!doctype html><script>alert(1)</script>'),
          },
        ],
        415,
        'FILE_TYPE_NOT_ALLOWED',
      ],
      [
        [{ name: 'script.pdf', type: 'application/pdf', bytes: await pdfWithScript() }],
        422,
        'FILE_HAS_SCRIPT',
      ],
      [
        [{ name: 'hong.pdf', type: 'application/pdf', bytes: (await pdf(1)).subarray(0, 300) }],
        422,
        'FILE_CORRUPT',
      ],
      [[{ name: 'dai.pdf', type: 'application/pdf', bytes: await pdf(6) }], 422, 'FILE_TOO_MANY_PAGES'],
      [
        [{ name: 'dinh-kem.pdf', type: 'application/pdf', bytes: await pdfWithAttachment() }],
        422,
        'FILE_HAS_SCRIPT',
      ],
      [[{ name: 'anh-lon.png', type: 'image/png', bytes: hugePng() }], 422, 'IMAGE_TOO_MANY_PIXELS'],
      [
        [
          {
            name: 'lon.pdf',
            type: 'application/pdf',
            bytes: Buffer.concat([await pdf(1), Buffer.alloc(70 * 1024)]),
          },
        ],
        413,
        'FILE_TOO_LARGE',
      ],
      [
        [
          { name: 'a.pdf', type: 'application/pdf', bytes: await pdf(1) },
          { name: 'b.png', type: 'image/png', bytes: PNG },
        ],
        400,
        'VALIDATION_FAILED',
      ],
      [
        [{ name: 'x.pdf', type: 'application/pdf', bytes: await pdf(1), field: 'other' }],
        400,
        'FILE_MISSING',
      ],
    ];
    for (const [parts, status, code] of cases) {
      const res = await upload(reception, dossier.id, 'giay_de_nghi', parts);
      expect(res.statusCode, `${JSON.stringify(parts[0]).slice(0, 80)}: ${res.body}`).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const named = await upload(reception, dossier.id, 'giay_de_nghi', cases[0]?.[0] as Part[]);
    expect(named.json().error.message).toContain('"hoso.pdf" không phải PDF, JPEG hoặc PNG');
    const script = await upload(reception, dossier.id, 'giay_de_nghi', cases[2]?.[0] as Part[]);
    expect(script.json().error.message).toContain('JavaScript');
    const attachment = await upload(reception, dossier.id, 'giay_de_nghi', cases[5]?.[0] as Part[]);
    expect(attachment.json().error.message).toContain('EmbeddedFiles');
    const huge = await upload(reception, dossier.id, 'giay_de_nghi', cases[6]?.[0] as Part[]);
    expect(huge.json().error.message).toContain('6000×6000');
    expect(await counts()).toEqual(before);

    const unknown = await upload(reception, dossier.id, 'khong_co', [
      { name: 'a.pdf', type: 'application/pdf', bytes: await pdf(1) },
    ]);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('COMPONENT_NOT_FOUND');
  });

  it("hides another commune's dossier (404) and refuses roles that cannot change it (403)", async () => {
    const dossier = await intake();
    const part = [{ name: 'a.pdf', type: 'application/pdf', bytes: await pdf(1, 'khác') }];
    expect((await upload(foreignReception, dossier.id, 'giay_de_nghi', part)).statusCode).toBe(404);
    const byProvince = await upload(province, dossier.id, 'giay_de_nghi', part);
    expect(byProvince.statusCode).toBe(403);
    expect(
      (await ctx.app.inject({ url: `/api/dossiers/${dossier.id}/documents`, headers: foreignReception }))
        .statusCode,
    ).toBe(404);
    const ok = await upload(reception, dossier.id, 'giay_de_nghi', part);
    const file = await ctx.app.inject({
      url: `/api/documents/${ok.json().id}/file`,
      headers: foreignReception,
    });
    expect(file.statusCode).toBe(404);
    expect((await ctx.app.inject({ url: `/api/documents/${ok.json().id}/file` })).statusCode).toBe(401);
  });
});

describe("the citizen's personal store", () => {
  it('lets a second dossier of the same citizen reuse a paper without a new upload', async () => {
    const citizenId = '089085000456';
    const first = await intake(citizenId);
    const bytes = await pdf(1, 'Giấy tờ của Trần Thị Ánh');
    const original = (
      await upload(reception, first.id, 'giay_de_nghi', [
        { name: 'giấy.pdf', type: 'application/pdf', bytes },
      ])
    ).json();

    const before = await counts();
    const second = await intake(citizenId);
    // The store opens for the second dossier only with the applicant's consent for it.
    await recordVerifiedCitizen(ctx, citizenId);
    const closed = await ctx.app.inject({
      url: `/api/dossiers/${second.id}/applicant-store`,
      headers: reception,
    });
    expect(closed.statusCode).toBe(403);
    expect(closed.json().error.code).toBe('STORE_CONSENT_REQUIRED');
    await giveStoreConsent(ctx, reception, second.id);
    const store = await ctx.app.inject({
      url: `/api/citizens/${citizenId}/documents?dossierId=${second.id}`,
      headers: reception,
    });
    expect(store.statusCode).toBe(200);
    expect(store.json()).toMatchObject({ total: 1, page: 1 });
    expect(store.json().items[0]).toMatchObject({ id: original.id, sha256: sha256Of(bytes) });

    const reused = await ctx.app.inject({
      method: 'POST',
      url: `/api/dossiers/${second.id}/components/giay_de_nghi/reuse`,
      headers: reception,
      payload: { documentId: original.id },
    });
    expect(reused.statusCode, reused.body).toBe(201);
    expect(reused.json()).toMatchObject({
      digitization: 'reused',
      reusedFrom: original.id,
      sha256: original.sha256,
    });
    const after = await counts();
    expect(after).toEqual({ files: before.files, documents: before.documents + 1 });

    const list = await ctx.app.inject({ url: `/api/dossiers/${second.id}/documents`, headers: reception });
    expect(list.json().components.find((c: { key: string }) => c.key === 'giay_de_nghi').digitization).toBe(
      'reused',
    );
    // The store still lists the paper once.
    expect(
      (await ctx.app.inject({ url: `/api/dossiers/${second.id}/applicant-store`, headers: reception })).json()
        .total,
    ).toBe(1);

    // Another citizen's dossier cannot take it: for them it does not exist (with their own consent).
    const stranger = await intake('089085000789');
    await recordVerifiedCitizen(ctx, '089085000789', '0912000789');
    await giveStoreConsent(ctx, reception, stranger.id);
    const refused = await ctx.app.inject({
      method: 'POST',
      url: `/api/dossiers/${stranger.id}/components/giay_de_nghi/reuse`,
      headers: reception,
      payload: { documentId: original.id },
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('DOCUMENT_NOT_FOUND');

    const audit = await ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', citizenId)
      .execute();
    expect(audit.map((a) => a.action)).toContain('citizen.store.read');
    expect(
      (await ctx.app.inject({ url: '/api/citizens/12345/documents', headers: reception })).statusCode,
    ).toBe(400);
    // A volunteer files for a citizen who is present; they do not browse stores, consent or not.
    const volunteer = await ctx.login('volunteer.30502');
    const browse = await ctx.app.inject({
      url: `/api/dossiers/${second.id}/applicant-store`,
      headers: volunteer,
    });
    expect(browse.statusCode).toBe(403);
    expect(browse.json().error.code).toBe('FORBIDDEN');
  });
});
