import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

export type FontStyle = 'regular' | 'bold' | 'italic';
export type FontSet = Record<FontStyle, PDFFont>;

/**
 * Be Vietnam Pro as whole TTF files: every Vietnamese letter is in one file (the web-font packages split
 * by Unicode range and silently lose letters). Embedded as subsets, so a form stays a few dozen KB.
 */
const FILES: Record<FontStyle, string> = {
  regular: '400Regular/BeVietnamPro_400Regular.ttf',
  bold: '700Bold/BeVietnamPro_700Bold.ttf',
  italic: '400Regular_Italic/BeVietnamPro_400Regular_Italic.ttf',
};

let loading: Promise<Record<FontStyle, Uint8Array>> | null = null;

/** The font files, read once per process. */
function loadFontFiles() {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const root = path.dirname(require.resolve('@expo-google-fonts/be-vietnam-pro/package.json'));
    const entries = await Promise.all(
      Object.entries(FILES).map(async ([style, file]) => [style, await fs.readFile(path.join(root, file))]),
    );
    return Object.fromEntries(entries) as Record<FontStyle, Uint8Array>;
  })();
  return loading;
}

// pdf-lib parses the font file again for every document; the parsed font is only read from afterwards
// (each document makes its own subset), so one parse per file serves every document of the process.
// fontkit (some 30 MB) loads with the first document the process writes.
const parsedFonts = new Map<Uint8Array, ReturnType<typeof fontkit.create>>();
let parsingOnce: Promise<typeof fontkit> | null = null;
function loadFontkit() {
  parsingOnce ??= import('@pdf-lib/fontkit').then(({ default: kit }) => ({
    create(data, postscriptName) {
      const bytes = data as Uint8Array;
      let font = parsedFonts.get(bytes);
      if (!font) {
        font = kit.create(bytes, postscriptName);
        parsedFonts.set(bytes, font);
      }
      return font;
    },
  }));
  return parsingOnce;
}

export async function embedFonts(doc: PDFDocument): Promise<FontSet> {
  const [files, kit] = await Promise.all([loadFontFiles(), loadFontkit()]);
  doc.registerFontkit(kit);
  const [regular, bold, italic] = await Promise.all([
    doc.embedFont(files.regular, { subset: true }),
    doc.embedFont(files.bold, { subset: true }),
    doc.embedFont(files.italic, { subset: true }),
  ]);
  return { regular, bold, italic };
}
