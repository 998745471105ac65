import { LRUCache } from 'lru-cache';
import { PDFDict, PDFDocument, PDFName, type PDFPage, PDFString, rgb } from 'pdf-lib';
import { embedFonts, type FontSet, type FontStyle } from './fonts.ts';

/** A4 in points, and the margins of Decree 30/2020 (left 30 mm, right 15–20 mm, top and bottom 20 mm). */
const A4: [number, number] = [595.28, 841.89];
const MM = 72 / 25.4;
const MARGIN = { left: 30 * MM, right: 18 * MM, top: 20 * MM, bottom: 20 * MM };
const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);

export type Run = { text: string; style?: FontStyle };
export type Align = 'left' | 'center' | 'right';
export type TextOptions = { size?: number; align?: Align; indent?: number; spaceAfter?: number };

/** The heading of a Vietnamese administrative document: issuing body left, national title right. */
export type DocumentHeading = {
  /** The body above the issuer, e.g. "ỦY BAN NHÂN DÂN XÃ MỸ HIỆP"; null when the issuer stands alone. */
  issuerParent: string | null;
  issuer: string;
  /** "Số: 12/GTN-TTPVHCC"; null when the form has none. */
  number: string | null;
  /** The place name before the date: "Mỹ Hiệp, ngày 29 tháng 11 năm 2026". */
  placeAndDate: string;
};

export type Column = { title: string; width: number; align?: Align };
export type SignatureBlock = { title: string; note?: string; name?: string; signedNote?: string };

export type PdfMeta = {
  title: string;
  subject: string;
  author: string;
  /** Written into the document information so a verifier can name the dossier a file belongs to. */
  dossierCode?: string;
  landscape?: boolean;
  /** Small grey text at the foot of every page, next to the page number. */
  footer?: string;
  /** The document's date (the injected clock), so the same facts give the same file. */
  createdAt: Date;
};

/** Widths by style, size and text: the same font files in every document, so shared by all of them. */
const TEXT_WIDTHS = new LRUCache<string, number>({ max: 50_000 });

/** Composed text wants one Unicode form: decomposed marks would be drawn as separate glyphs. */
const nfc = (s: string) => s.normalize('NFC');

/**
 * A flowing writer for A4 administrative documents: the national heading, titles, paragraphs with
 * mixed styles, tables that break across pages, signature blocks and images. Coordinates stay inside.
 */
export async function createPdfWriter(meta: PdfMeta) {
  const doc = await PDFDocument.create();
  const fonts: FontSet = await embedFonts(doc);
  const [pageWidth, pageHeight] = meta.landscape ? [A4[1], A4[0]] : A4;
  const contentWidth = pageWidth - MARGIN.left - MARGIN.right;
  let page: PDFPage = doc.addPage([pageWidth, pageHeight]);
  let y = pageHeight - MARGIN.top;

  const font = (style: FontStyle = 'regular') => fonts[style];
  const lineHeight = (size: number) => size * 1.35;
  /** Text widths, memoised: laying out a line measures the same words many times (full OpenType shaping). */
  const measure = (style: FontStyle | undefined, text: string, size: number) => {
    const key = `${style ?? 'regular'}|${size}|${text}`;
    let width = TEXT_WIDTHS.get(key);
    if (width === undefined) {
      width = font(style).widthOfTextAtSize(text, size);
      TEXT_WIDTHS.set(key, width);
    }
    return width;
  };

  function newPage() {
    page = doc.addPage([pageWidth, pageHeight]);
    y = pageHeight - MARGIN.top;
  }
  /** Starts a new page unless `height` points still fit on this one. */
  function ensureSpace(height: number) {
    if (y - height < MARGIN.bottom) newPage();
  }

  /** Greedy line breaking over styled runs; a word longer than the line is cut. */
  function wrap(runs: Run[], size: number, width: number): Run[][] {
    const lines: Run[][] = [];
    let line: Run[] = [];
    let used = 0;
    const push = (text: string, style: FontStyle) => {
      const last = line.at(-1);
      if (last && (last.style ?? 'regular') === style) last.text += text;
      else line.push({ text, style });
    };
    for (const run of runs) {
      const style = run.style ?? 'regular';
      for (const paragraphPart of nfc(run.text).split(/(\n)/)) {
        if (paragraphPart === '\n') {
          lines.push(line);
          line = [];
          used = 0;
          continue;
        }
        for (const token of paragraphPart.split(/(?<= )/)) {
          if (!token) continue;
          let word = token;
          let w = measure(style, word, size);
          if (used + measure(style, word.trimEnd(), size) > width && used > 0) {
            lines.push(line);
            line = [];
            used = 0;
          }
          while (w > width) {
            // The longest head of the word that fits, found by halving: a long unbroken word (a URL, a
            // code) is cut in a few measurements instead of one per character.
            let low = 1;
            let high = word.length - 1;
            while (low < high) {
              const mid = Math.ceil((low + high) / 2);
              if (measure(style, word.slice(0, mid), size) <= width) low = mid;
              else high = mid - 1;
            }
            const cut = low;
            push(word.slice(0, cut), style);
            lines.push(line);
            line = [];
            word = word.slice(cut);
            w = measure(style, word, size);
          }
          push(word, style);
          used += w;
        }
      }
    }
    if (line.length > 0) lines.push(line);
    return lines;
  }

  const lineWidth = (line: Run[], size: number) =>
    line.reduce((sum, r) => sum + measure(r.style, r.text.trimEnd(), size), 0);

  function drawLine(line: Run[], x: number, top: number, size: number, width: number, align: Align) {
    const w = lineWidth(line, size);
    let at = align === 'center' ? x + (width - w) / 2 : align === 'right' ? x + width - w : x;
    const baseline = top - size;
    line.forEach((r, i) => {
      const text = i === line.length - 1 ? r.text.trimEnd() : r.text;
      if (!text) return;
      page.drawText(text, { x: at, y: baseline, size, font: font(r.style), color: BLACK });
      at += measure(r.style, text, size);
    });
  }

  /** Text in a box at a fixed place (no page breaks); returns the height used. */
  function drawBox(runs: Run[], x: number, top: number, width: number, size: number, align: Align) {
    const lines = wrap(runs, size, width);
    lines.forEach((line, i) => {
      drawLine(line, x, top - i * lineHeight(size), size, width, align);
    });
    return lines.length * lineHeight(size);
  }

  const toRuns = (text: string | Run[]): Run[] => (typeof text === 'string' ? [{ text }] : text);

  const writer = {
    doc,
    fonts,
    contentWidth,

    /** The national heading of Decree 30/2020: issuing body and number left, national title right. */
    heading(h: DocumentHeading) {
      const leftWidth = contentWidth * 0.46;
      const rightX = MARGIN.left + contentWidth * 0.44;
      const rightWidth = contentWidth * 0.56;
      const top = y;
      // An issuer's name reads best on one line: a long one is set a little smaller (not below 8.5 pt).
      const fitting = (text: string, style: FontStyle) =>
        Math.max(8.5, Math.min(10, (leftWidth / measure(style, nfc(text), 10)) * 10 - 0.05));
      let left = 0;
      if (h.issuerParent) {
        const text = h.issuerParent.toUpperCase();
        left += drawBox([{ text }], MARGIN.left, top, leftWidth, fitting(text, 'regular'), 'center');
      }
      const issuer = h.issuer.toUpperCase();
      left += drawBox(
        [{ text: issuer, style: 'bold' }],
        MARGIN.left,
        top - left,
        leftWidth,
        fitting(issuer, 'bold'),
        'center',
      );
      const rule = (cx: number, at: number, half: number) =>
        page.drawLine({
          start: { x: cx - half, y: at },
          end: { x: cx + half, y: at },
          thickness: 0.6,
          color: BLACK,
        });
      rule(MARGIN.left + leftWidth / 2, top - left - 2, 30);
      left += 8;
      if (h.number) left += drawBox([{ text: h.number }], MARGIN.left, top - left, leftWidth, 10.5, 'center');

      let right = drawBox(
        [{ text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', style: 'bold' }],
        rightX,
        top,
        rightWidth,
        10.5,
        'center',
      );
      right += drawBox(
        [{ text: 'Độc lập - Tự do - Hạnh phúc', style: 'bold' }],
        rightX,
        top - right,
        rightWidth,
        11,
        'center',
      );
      const mottoHalf = fonts.bold.widthOfTextAtSize('Độc lập - Tự do - Hạnh phúc', 11) / 2;
      rule(rightX + rightWidth / 2, top - right - 2, mottoHalf);
      right += 8;
      right += drawBox(
        [{ text: h.placeAndDate, style: 'italic' }],
        rightX,
        top - right,
        rightWidth,
        10.5,
        'center',
      );
      y = top - Math.max(left, right) - 18;
    },

    /** A centred bold title, with an optional line under it (e.g. "Về việc …"). */
    title(text: string, subtitle?: string) {
      ensureSpace(60);
      y -= drawBox([{ text: text.toUpperCase(), style: 'bold' }], MARGIN.left, y, contentWidth, 13, 'center');
      if (subtitle) {
        y -= 2;
        y -= drawBox([{ text: subtitle, style: 'italic' }], MARGIN.left, y, contentWidth, 11, 'center');
      }
      y -= 12;
    },

    paragraph(text: string | Run[], options: TextOptions = {}) {
      const size = options.size ?? 11;
      const indent = options.indent ?? 0;
      const width = contentWidth - indent;
      for (const line of wrap(toRuns(text), size, width)) {
        ensureSpace(lineHeight(size));
        drawLine(line, MARGIN.left + indent, y, size, width, options.align ?? 'left');
        y -= lineHeight(size);
      }
      y -= options.spaceAfter ?? 4;
    },

    /** "Label: value", the value in bold: the filled-in parts of a form stand out. */
    field(label: string, value: string, options: TextOptions = {}) {
      writer.paragraph([{ text: `${label}: ` }, { text: value || '……………………', style: 'bold' }], {
        spaceAfter: 2,
        ...options,
      });
    },

    list(items: string[], options: TextOptions & { numbered?: boolean } = {}) {
      items.forEach((item, i) => {
        const marker = options.numbered === false ? '- ' : `${i + 1}. `;
        writer.paragraph(`${marker}${item}`, { indent: 12, spaceAfter: 2, ...options });
      });
      y -= 2;
    },

    space(points: number) {
      y -= points;
    },

    /** A table with a bold header row, repeated on each new page; widths are fractions of the line. */
    table(columns: Column[], rows: string[][], options: { size?: number } = {}) {
      const size = options.size ?? 9.5;
      const pad = 3;
      const total = columns.reduce((s, c) => s + c.width, 0);
      const widths = columns.map((c) => (c.width / total) * contentWidth);
      const layout = (cells: string[], style: FontStyle) =>
        cells.map((cell, i) => wrap([{ text: cell, style }], size, (widths[i] as number) - 2 * pad));
      const rowHeight = (lines: Run[][][]) =>
        Math.max(...lines.map((l) => l.length), 1) * lineHeight(size) + 2 * pad;
      const drawRow = (lines: Run[][][], height: number, aligns: Align[]) => {
        let x = MARGIN.left;
        lines.forEach((cell, i) => {
          const w = widths[i] as number;
          page.drawRectangle({ x, y: y - height, width: w, height, borderWidth: 0.5, borderColor: BLACK });
          cell.forEach((line, j) => {
            drawLine(line, x + pad, y - pad - j * lineHeight(size), size, w - 2 * pad, aligns[i] ?? 'left');
          });
          x += w;
        });
        y -= height;
      };
      const header = layout(
        columns.map((c) => c.title),
        'bold',
      );
      const headerHeight = rowHeight(header);
      const centred = columns.map(() => 'center' as Align);
      ensureSpace(headerHeight + lineHeight(size) + 2 * pad);
      drawRow(header, headerHeight, centred);
      const aligns = columns.map((c) => c.align ?? 'left');
      const pageRoom = pageHeight - MARGIN.top - MARGIN.bottom - headerHeight;
      const continueOnNewPage = () => {
        newPage();
        drawRow(header, headerHeight, centred);
      };
      for (const row of rows) {
        let cells = layout(row, 'regular');
        // A row that fits on a page is kept whole; a taller one is split line by line across pages.
        const height = rowHeight(cells);
        if (y - height < MARGIN.bottom && height <= pageRoom) continueOnNewPage();
        while (cells.some((c) => c.length > 0)) {
          const fit = Math.floor((y - MARGIN.bottom - 2 * pad) / lineHeight(size));
          if (fit < 1) {
            continueOnNewPage();
            continue;
          }
          const part = cells.map((c) => c.slice(0, fit));
          drawRow(part, rowHeight(part), aligns);
          cells = cells.map((c) => c.slice(fit));
          if (cells.some((c) => c.length > 0)) continueOnNewPage();
        }
      }
      y -= 8;
    },

    /** Signature blocks side by side: title, how to sign, room for the signature, the name. */
    signatures(blocks: SignatureBlock[]) {
      ensureSpace(130);
      const width = contentWidth / blocks.length;
      const top = y;
      let lowest = 0;
      blocks.forEach((b, i) => {
        const x = MARGIN.left + i * width;
        let used = drawBox([{ text: b.title.toUpperCase(), style: 'bold' }], x, top, width, 10.5, 'center');
        if (b.note) used += drawBox([{ text: b.note, style: 'italic' }], x, top - used, width, 9.5, 'center');
        used += 12;
        if (b.signedNote) {
          used += drawBox([{ text: b.signedNote, style: 'italic' }], x, top - used, width, 9, 'center');
        }
        used = Math.max(used, 80);
        if (b.name) used += drawBox([{ text: b.name, style: 'bold' }], x, top - used, width, 10.5, 'center');
        lowest = Math.max(lowest, used);
      });
      y = top - lowest - 10;
    },

    /** A PNG (a QR code, a scan) at the given width, with a caption under it. */
    async image(png: Uint8Array, options: { width: number; align?: Align; caption?: string }) {
      const image = await doc.embedPng(png);
      const height = (image.height / image.width) * options.width;
      ensureSpace(height + 30);
      const align = options.align ?? 'left';
      const x =
        align === 'center'
          ? MARGIN.left + (contentWidth - options.width) / 2
          : align === 'right'
            ? MARGIN.left + contentWidth - options.width
            : MARGIN.left;
      page.drawImage(image, { x, y: y - height, width: options.width, height });
      y -= height + 2;
      if (options.caption) writer.paragraph(options.caption, { size: 8.5, align, spaceAfter: 0 });
    },

    /** Puts the pages of another PDF (a scanned original) before this document's own pages. */
    async prependPdf(bytes: Uint8Array) {
      const source = await PDFDocument.load(bytes);
      // The pages only: an original's own form fields and signatures would be stale in the copy (and a
      // verifier would see a signature the copy no longer matches).
      for (const p of source.getPages()) p.node.delete(PDFName.of('Annots'));
      const copied = await doc.copyPages(source, source.getPageIndices());
      copied.forEach((p, i) => {
        doc.insertPage(i, p);
      });
      return copied.length;
    },

    /** Page numbers and the footer on every page, the metadata, then the bytes (no object streams: signable). */
    async finish(): Promise<Uint8Array> {
      const pages = doc.getPages();
      pages.forEach((p, i) => {
        const text = nfc(`${meta.footer ? `${meta.footer} · ` : ''}Trang ${i + 1}/${pages.length}`);
        const w = fonts.regular.widthOfTextAtSize(text, 7.5);
        // A scanned original keeps its own page size.
        p.drawText(text, {
          x: p.getWidth() - MARGIN.right - w,
          y: MARGIN.bottom / 2,
          size: 7.5,
          font: fonts.regular,
          color: GREY,
        });
      });
      doc.setTitle(nfc(meta.title), { showInWindowTitleBar: true });
      doc.setSubject(nfc(meta.subject));
      doc.setAuthor(nfc(meta.author));
      doc.setLanguage('vi-VN');
      doc.setProducer('MotCua');
      doc.setCreationDate(meta.createdAt);
      doc.setModificationDate(meta.createdAt);
      doc.setCreator('MotCua');
      if (meta.dossierCode) {
        doc.setKeywords([meta.dossierCode]);
        // setTitle above created the information dictionary.
        const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
        info.set(PDFName.of(DOSSIER_CODE_KEY), PDFString.of(meta.dossierCode));
      }
      return doc.save({ useObjectStreams: false });
    },
  };
  return writer;
}

export type PdfWriter = Awaited<ReturnType<typeof createPdfWriter>>;

/** The document-information key that carries the dossier code (read back by the verifier). */
export const DOSSIER_CODE_KEY = 'MotCuaDossierCode';
