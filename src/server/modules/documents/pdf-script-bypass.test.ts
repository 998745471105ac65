import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors.ts';
import { openTestDatabase, type TestDatabase } from '../../test-support/test-database.ts';
import { checkUpload, DEFAULT_UPLOAD_LIMITS } from './file-checks.ts';

/** A one-page PDF written by hand, its objects in order, with a correct xref to the ones given. */
function handPdf(objects: string[], xrefTo: number[] = objects.map((_, i) => i)): Buffer {
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (const o of objects) {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${o}\n`;
  }
  const xrefAt = Buffer.byteLength(body, 'latin1');
  const entries = xrefTo.map((i) => `${String(offsets[i]).padStart(10, '0')} 00000 n \n`).join('');
  body += `xref\n0 ${xrefTo.length + 1}\n0000000000 65535 f \n${entries}`;
  body += `trailer\n<< /Size ${xrefTo.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const PAGES = '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj';
const PAGE = '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj';
const CLEAN_CATALOG = '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj';

const refusal = async (bytes: Uint8Array) => {
  try {
    await checkUpload('to-khai.pdf', bytes, DEFAULT_UPLOAD_LIMITS);
    return null;
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
};

const pdfinfoJs = (bytes: Uint8Array) => {
  const file = path.join(os.tmpdir(), `motcua-js-${process.pid}-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync('pdfinfo', ['-js', file], { encoding: 'utf8' });
  } finally {
    fs.rmSync(file, { force: true });
  }
};

describe('no scripts in uploaded PDFs, whichever definition a viewer follows', () => {
  it('refuses a catalogue defined twice: the first, reached by the xref, opens a script', async () => {
    const evil =
      '1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (app.alert(1)) >>] >> >> >>\nendobj';
    // Objects: evil catalogue, pages, page, clean catalogue; the xref names the evil one for object 1.
    const bytes = handPdf([evil, PAGES, PAGE, CLEAN_CATALOG], [0, 1, 2]);
    // pdf-lib keeps the last definition: the catalogue it parses looks clean.
    const parsed = await PDFDocument.load(bytes);
    expect(parsed.catalog.toString()).not.toContain('JavaScript');
    // A viewer follows the xref to the first one and finds the script.
    expect(pdfinfoJs(bytes)).toContain('app.alert(1)');
    expect(await refusal(bytes)).toBe('FILE_HAS_SCRIPT');
  });

  it('refuses a script hidden in a compressed object stream, or behind a #-escaped name', async () => {
    const inner = '4 0 << /S /JavaScript /JS (app.alert(2)) >>';
    const packed = deflateSync(Buffer.from(`4 0 ${inner.slice(4)}`, 'latin1'));
    const objStm = `5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${packed.length} >>\nstream\n${packed.toString('latin1')}\nendstream\nendobj`;
    const catalog = '1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>\nendobj';
    expect(await refusal(handPdf([catalog, PAGES, PAGE, objStm]))).toBe('FILE_HAS_SCRIPT');
    const escaped =
      '1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Java#53cript /J#53 (x) >> >>\nendobj';
    expect(await refusal(handPdf([escaped, PAGES, PAGE]))).toBe('FILE_HAS_SCRIPT');
    const launch =
      '1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>\nendobj';
    expect(await refusal(handPdf([launch, PAGES, PAGE]))).toBe('FILE_HAS_SCRIPT');
  });

  it('takes a plain PDF, and pdfinfo -js finds no script in it', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const bytes = await doc.save();
    expect(await refusal(bytes)).toBeNull();
    expect(await refusal(handPdf([CLEAN_CATALOG, PAGES, PAGE]))).toBeNull();
    expect(pdfinfoJs(bytes).trim()).toBe('');
  });
});

describe('the stored files', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database?.close());

  it('carry no script: pdfinfo -js prints nothing for any stored PDF', async () => {
    const rows = await database.db
      .selectFrom('stored_file')
      .select('sha256')
      .where('media_type', '=', 'application/pdf')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const { sha256 } of rows) {
      const bytes = (await database.files.get(sha256)) as Buffer;
      expect(pdfinfoJs(bytes).trim(), sha256).toBe('');
      expect(await refusal(bytes), sha256).toBeNull();
    }
  });
});
