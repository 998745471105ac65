import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs a poppler or zbar tool on the bytes written to a temporary file; the folder goes afterwards. */
async function withFile<T>(bytes: Uint8Array, use: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, bytes);
    return await use(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text `pdftotext` (poppler-utils) reads back, in reading order. */
export function pdfToText(bytes: Uint8Array): Promise<string> {
  return withFile(bytes, async (file) => (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout);
}

/** Every QR code `zbarimg` (zbar-tools) finds on the pages, rendered at 150 dpi by `pdftoppm`. */
export function pdfQrCodes(bytes: Uint8Array): Promise<string[]> {
  return withFile(bytes, async (file, dir) => {
    await run('pdftoppm', ['-r', '150', '-png', file, path.join(dir, 'page')]);
    const result = await run('sh', ['-c', `zbarimg --quiet --raw "${dir}"/page*.png`]).catch(
      (err: { code?: number; stdout?: string }) => {
        // zbarimg exits 4 when it finds no code at all.
        if (err.code === 4) return { stdout: '' };
        throw err;
      },
    );
    return result.stdout.split('\n').filter(Boolean);
  });
}

/** What `pdfsig` (poppler-utils) says of the file's signatures, whatever its exit code. */
export function pdfsig(bytes: Uint8Array): Promise<string> {
  return withFile(bytes, async (file) => {
    const out = await run('pdfsig', [file]).catch((err: { stdout?: string; stderr?: string }) => ({
      stdout: `${err.stdout ?? ''}${err.stderr ?? ''}`,
    }));
    return out.stdout;
  });
}

/** The number of pages `pdfinfo` counts. */
export function pdfPages(bytes: Uint8Array): Promise<number> {
  return withFile(bytes, async (file) => {
    const { stdout } = await run('pdfinfo', [file]);
    return Number(/Pages:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  });
}
