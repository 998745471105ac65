import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICANT, type Headers, intakeBody, postIntake } from '../../test-support/dossier-helpers.ts';
import { multipart } from '../../test-support/multipart.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';

/** A PDF written by hand: objects 1…n in order, a correct xref, and the trailer's /Root if given. */
function handPdf(objects: string[], root: number | null): Buffer {
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, 'latin1');
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}`;
  body += `trailer\n<< /Size ${objects.length + 1}${root ? ` /Root ${root} 0 R` : ''} >>\n`;
  body += `startxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';
const MALFORMED: Record<string, { bytes: Buffer; reason: string }> = {
  'a page tree that loops through two nodes': {
    bytes: handPdf(
      [
        CATALOG,
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R >>',
      ],
      1,
    ),
    reason: 'cây trang lặp vòng',
  },
  'a page tree that is its own child': {
    bytes: handPdf([CATALOG, '<< /Type /Pages /Kids [2 0 R] /Count 1 >>'], 1),
    reason: 'cây trang lặp vòng',
  },
  'one page listed twice': {
    bytes: handPdf([CATALOG, '<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>', PAGE], 1),
    reason: 'cây trang lặp vòng',
  },
  'no catalogue in the trailer': {
    bytes: handPdf(['<< /Type /Pages /Kids [] /Count 0 >>'], null),
    reason: 'không có mục lục tài liệu',
  },
  'a catalogue that is a number': {
    bytes: handPdf(['42', '<< /Type /Pages /Kids [] /Count 0 >>'], 1),
    reason: 'không có mục lục tài liệu',
  },
  'a catalogue without a page tree': {
    bytes: handPdf(['<< /Type /Catalog >>'], 1),
    reason: 'không có cây trang',
  },
  'a kid that is not a page': {
    bytes: handPdf([CATALOG, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Font >>'], 1),
    reason: 'phần tử không phải trang',
  },
};

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

function send(url: string, bytes: Buffer, headers: Headers = {}) {
  const { payload, contentType } = multipart([{ name: 'to-khai.pdf', type: 'application/pdf', bytes }]);
  return ctx.app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': contentType },
    payload,
  });
}

describe('a PDF whose structure is broken is refused with its reason, never a 500', () => {
  for (const [what, { bytes, reason }] of Object.entries(MALFORMED)) {
    it(`upload: ${what}`, async () => {
      const res = await send(
        `/api/dossiers/${dossierId}/components/giay_de_nghi/documents`,
        bytes,
        reception,
      );
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe('FILE_CORRUPT');
      expect(res.json().error.message).toContain(reason);
    });

    it(`verify: ${what}`, async () => {
      // The verifier reads signatures from the bytes, not the page tree: it reports no signature.
      const res = await send('/api/verify', bytes);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ valid: false, signatures: [] });
    });
  }

  it('a page with no /Type under a proper tree still counts as a page', async () => {
    const bytes = handPdf(
      [CATALOG, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Parent 2 0 R /MediaBox [0 0 595 842] >>'],
      1,
    );
    const res = await send(`/api/dossiers/${dossierId}/components/giay_de_nghi/documents`, bytes, reception);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().pages).toBe(1);
  });
});
