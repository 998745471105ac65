// The server's sources as one esbuild bundle (packages stay in node_modules), built again whenever a
// source changes: what `npm start` runs (start.mjs, docs/adr/0006). Plain JavaScript: it runs before
// anything can compile TypeScript.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');
/** What the server's bundle is made of (tests excluded); migrations and reference data are read at run time. */
export const SERVER_INPUTS = ['src/server', 'src/core', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** How long a replaced build is kept for a server that may still be starting from it. */
const KEEP_OLD_BUILDS_MS = 10 * 60_000;

/** A digest of the inputs: files and folders relative to the project. */
async function hashInputs(inputs) {
  const hash = createHash('sha256');
  for (const input of inputs) {
    const full = path.join(PROJECT_ROOT, input);
    const files = input.includes('.')
      ? [full]
      : (await readdir(full, { withFileTypes: true, recursive: true }))
          .filter((e) => e.isFile() && /\.(ts|mjs|json)$/.test(e.name) && !e.name.endsWith('.test.ts'))
          .map((e) => path.join(e.parentPath, e.name))
          .sort();
    for (const file of files) {
      hash.update(path.relative(PROJECT_ROOT, file));
      hash.update('\0');
      hash.update(await readFile(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The bundle of `entries` ({ name: source }) in `<dir>/<digest of inputs>/`, built first if that folder
 * is missing: into a staging folder renamed into place once complete (two starts at once never run half a
 * build), the older builds in `dir` removed. Returns the folder; `<name>.mjs` is each entry's module.
 */
export async function serverBundle({ entries, inputs, dir }) {
  const id = await hashInputs([...inputs, ...Object.values(entries)]);
  const target = path.join(dir, id);
  if (existsSync(target)) return target;
  const { build } = await import('esbuild');
  const staging = `${target}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: entries,
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Beside the bundle for `node --enable-source-maps`, when a stack trace must point at the sources.
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  await mkdir(dir, { recursive: true });
  // Older builds go, but not one another server may have started from a moment ago.
  const cutoff = Date.now() - KEEP_OLD_BUILDS_MS;
  for (const old of await readdir(dir)) {
    const full = path.join(dir, old);
    if (old === id || old.includes('.building-')) continue;
    const { mtimeMs } = await stat(full).catch(() => ({ mtimeMs: Date.now() }));
    if (mtimeMs < cutoff) await rm(full, { recursive: true, force: true });
  }
  try {
    await rename(staging, target);
  } catch (err) {
    // Another start finished the same build meanwhile: either copy is the same.
    if (!existsSync(target)) throw err;
    await rm(staging, { recursive: true, force: true });
  }
  return target;
}
