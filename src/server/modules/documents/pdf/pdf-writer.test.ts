import { describe, expect, it } from 'vitest';
import { pdfPages, pdfToText } from '../../../test-support/pdf-tools.ts';
import { createPdfWriter } from './pdf-writer.ts';

const meta = {
  title: 'Thử',
  subject: 'Thử',
  author: 'MotCua',
  createdAt: new Date('2026-11-30T08:00:00+07:00'),
};
const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('the A4 writer', () => {
  it('cuts an unbroken word longer than the line and keeps every letter', async () => {
    const w = await createPdfWriter(meta);
    const word = `MÃHỒSƠ${'Đ'.repeat(1500)}CUỐI`;
    w.paragraph(word);
    const text = squeeze(await pdfToText(await w.finish()));
    expect(text).toContain(squeeze(word));
  });

  it('splits a table row taller than a page across pages, repeating the header, losing nothing', async () => {
    const w = await createPdfWriter(meta);
    const note = `${Array.from({ length: 900 }, (_, i) => `ý-kiến-${i}`).join(' ')} HẾT-GHI-CHÚ`;
    w.table(
      [
        { title: 'TT', width: 1 },
        { title: 'Nội dung', width: 8 },
      ],
      [
        ['1', 'Dòng ngắn'],
        ['2', note],
        ['3', 'Dòng sau cùng'],
      ],
    );
    const bytes = await w.finish();
    expect(await pdfPages(bytes)).toBeGreaterThan(2);
    const text = await pdfToText(bytes);
    expect(text).toContain('HẾT-GHI-CHÚ');
    expect(text).toContain('Dòng sau cùng');
    expect(text).toContain('ý-kiến-0 ');
    expect(text).toContain('ý-kiến-899');
    expect(text.match(/Nội dung/g)?.length).toBe(await pdfPages(bytes));
  });
});
