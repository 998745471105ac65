import { PDFArray, PDFDict, type PDFDocument, PDFName, PDFRef } from 'pdf-lib';

/** Why a PDF's structure cannot be read, in the words shown to the officer (Vietnamese). */
export class PdfStructureError extends Error {}

/** Tree nodes a page count follows at most: well past any real file within the upload limit. */
const MAX_NODES = 200_000;

/**
 * The number of pages, counted over the page tree without trusting it: the catalogue must be there
 * and be a dictionary with a page tree, and a node reached twice (a cycle, or a page shared by two
 * parents) is an error, not an endless walk. pdf-lib's own count recurses and would overflow the stack
 * or loop on such a file.
 */
export function countPages(pdf: PDFDocument): number {
  const { context } = pdf;
  const root = context.trailerInfo.Root;
  const catalog = root instanceof PDFRef ? context.lookup(root) : root;
  if (!(catalog instanceof PDFDict)) throw new PdfStructureError('không có mục lục tài liệu (Catalog)');
  const top = catalog.get(PDFName.of('Pages'));
  if (!(top instanceof PDFRef) && !(top instanceof PDFDict)) {
    throw new PdfStructureError('không có cây trang (Pages)');
  }
  const seen = new Set<PDFRef | PDFDict>();
  const stack: unknown[] = [top];
  let pages = 0;
  while (stack.length > 0) {
    const item = stack.pop();
    if (!(item instanceof PDFRef) && !(item instanceof PDFDict)) {
      throw new PdfStructureError('cây trang có phần tử không phải trang');
    }
    if (seen.has(item)) throw new PdfStructureError('cây trang lặp vòng');
    seen.add(item);
    if (seen.size > MAX_NODES) throw new PdfStructureError('cây trang quá lớn');
    const node = item instanceof PDFRef ? context.lookup(item) : item;
    if (!(node instanceof PDFDict)) throw new PdfStructureError('cây trang có phần tử không phải trang');
    const type = node.get(PDFName.of('Type'));
    const kids = node.lookup(PDFName.of('Kids'));
    // Some producers leave out a page's /Type; a node with no /Kids is a page unless it says otherwise.
    if (type === PDFName.of('Page') || (type === undefined && kids === undefined)) {
      pages++;
      continue;
    }
    if (!(kids instanceof PDFArray)) throw new PdfStructureError('cây trang có phần tử không phải trang');
    for (let i = kids.size() - 1; i >= 0; i--) stack.push(kids.get(i));
  }
  return pages;
}
