import { createPdfWriter } from '../documents/pdf/pdf-writer.ts';
import type { Cell, ReportData, ReportTable } from './report-data.ts';

const formatDay = (day: string) => day.split('-').reverse().join('/');

function heading(data: ReportData) {
  return `${data.unit.name} · ${data.label} · số liệu đang giải quyết tính đến hết ngày ${formatDay(data.asOf)}`;
}

/** The workbook: one sheet per table, a title row, bold headers, widths, numbers as numbers, % as %. */
export async function renderXlsx(data: ReportData, createdAt: Date): Promise<Buffer> {
  // Loaded when a report is first exported: some 30 MB a server that never exports does not hold.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'MotCua';
  book.created = createdAt;
  book.modified = createdAt;
  for (const table of data.tables) {
    const sheet = book.addWorksheet(table.sheet);
    sheet.addRow([table.title]).font = { bold: true, size: 13 };
    sheet.addRow([heading(data)]).font = { italic: true };
    sheet.addRow([]);
    const header = sheet.addRow(table.columns.map((c) => c.title));
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    for (const row of table.rows) sheet.addRow(row);
    table.columns.forEach((c, i) => {
      const column = sheet.getColumn(i + 1);
      column.width = Math.round(c.width * 12);
      if (c.percent) column.numFmt = '0.0%';
      if (c.align === 'right') column.alignment = { horizontal: 'right' };
    });
    sheet.views = [{ state: 'frozen', ySplit: 4 }];
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

function cellText(value: Cell, percent: boolean | undefined): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    return percent
      ? `${(value * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })}%`
      : value.toLocaleString('vi-VN', { maximumFractionDigits: 2 });
  }
  return value;
}

/** The PDF: the national heading, the title, then every table (landscape A4, tables break across pages). */
export async function renderPdf(data: ReportData, createdAt: Date): Promise<Uint8Array> {
  const issuer = data.unit.level === 'nation' ? 'HỆ THỐNG MỘT CỬA' : `UBND ${data.unit.name.toUpperCase()}`;
  const w = await createPdfWriter({
    title: `Báo cáo giải quyết thủ tục hành chính: ${data.unit.name}, ${data.label}`,
    subject: 'Báo cáo tình hình, kết quả giải quyết thủ tục hành chính',
    author: data.unit.name,
    footer: `${data.unit.name} · ${data.label}`,
    landscape: true,
    createdAt,
  });
  w.heading({
    issuerParent: null,
    issuer,
    number: null,
    placeAndDate: `Ngày ${createdAt.getUTCDate()} tháng ${createdAt.getUTCMonth() + 1} năm ${createdAt.getUTCFullYear()}`,
  });
  w.title('Báo cáo tình hình, kết quả giải quyết thủ tục hành chính', `${data.label} · ${data.unit.name}`);
  w.paragraph(`Số liệu hồ sơ đang giải quyết tính đến hết ngày ${formatDay(data.asOf)}.`, { size: 10 });
  for (const table of data.tables) {
    w.paragraph([{ text: table.title, style: 'bold' }], { spaceAfter: 4 });
    w.table(
      table.columns.map((c) => ({ title: c.title, width: c.width, align: c.align })),
      table.rows.map((row) => row.map((v, i) => cellText(v, table.columns[i]?.percent))),
      { size: 8 },
    );
    w.space(10);
  }
  return w.finish();
}

const csvCell = (v: Cell) => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r;]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** One table as CSV (RFC 4180, UTF-8 with a BOM so that Excel reads the Vietnamese letters). */
export function renderCsv(table: ReportTable): string {
  const lines = [table.columns.map((c) => csvCell(c.title)), ...table.rows.map((r) => r.map(csvCell))];
  return `\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}
