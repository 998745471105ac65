import { inflateSync } from 'node:zlib';

/**
 * Names that make a PDF run or carry something, looked for in the raw bytes of every object definition
 * of every revision, and inside every compressed stream (object streams included). A parser keeps one
 * definition per object number (pdf-lib the last) while a viewer follows the xref to another, so a check
 * of the parsed objects alone can be walked around by defining the catalogue twice.
 */
const ACTIVE_NAMES = new Set([
  'JS',
  'JavaScript',
  'Launch',
  'EmbeddedFiles',
  'XFA',
  'RichMedia',
  'SubmitForm',
  'ImportData',
  'GoToR',
  'GoToE',
]);

/** A name token: '/' then regular characters (PDF 32000-1, 7.3.5); '#xx' escapes decoded. */
const NAME = /\/([^\s()<>[\]{}/%\0]+)/g;
const STREAM = /stream\r?\n/g;
/** The inflated bytes one file may make us read, in all: a compression bomb stops here. */
const INFLATE_BUDGET = 64 * 1024 * 1024;

function decodeName(raw: string): string {
  return raw.includes('#')
    ? raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    : raw;
}

function namesIn(text: string, found: Set<string>) {
  for (const m of text.matchAll(NAME)) {
    const name = decodeName(m[1] as string);
    if (ACTIVE_NAMES.has(name)) found.add(name);
  }
}

/**
 * Every active name anywhere in the file: the raw bytes as they are (every definition, every revision,
 * whatever the xref says), then each stream that inflates. One pass over the bytes per stream found,
 * bounded by the inflate budget: linear in the file's size.
 */
export function findActiveNamesInBytes(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const found = new Set<string>();
  namesIn(text, found);
  let budget = INFLATE_BUDGET;
  for (const m of text.matchAll(STREAM)) {
    if (budget <= 0) break;
    const start = (m.index ?? 0) + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    try {
      const inflated = inflateSync(bytes.subarray(start, end), { maxOutputLength: budget, finishFlush: 2 });
      budget -= inflated.length;
      namesIn(inflated.toString('latin1'), found);
    } catch {
      // Not a Flate stream (an image, a font), or cut short: its raw bytes were read above.
    }
  }
  return [...found].sort();
}
