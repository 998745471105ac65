import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { PROJECT_ROOT } from '../paths.ts';

/** Where `npm start` puts the built web app, and the file naming the sources it was built from. */
export const WEB_DIST = path.join(PROJECT_ROOT, 'dist', 'web');
const BUILD_ID = '.build-id';
const INPUTS = ['src/web', 'src/core', 'vite.config.ts', 'package-lock.json'];

async function listFiles(target: string): Promise<string[]> {
  if (!existsSync(target)) return [];
  const entries = await readdir(target, { withFileTypes: true, recursive: true }).catch(() => null);
  if (!entries) return [target];
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** A digest of everything the web build reads: a changed source means a new build, nothing else does. */
export async function hashWebSources(root = PROJECT_ROOT): Promise<string> {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    const full = path.join(root, input);
    const files = existsSync(full) && !input.includes('.') ? await listFiles(full) : [full];
    for (const file of files) {
      if (!existsSync(file)) continue;
      hash.update(path.relative(root, file));
      hash.update('\0');
      hash.update(await readFile(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;

/**
 * Brotli and gzip beside every text asset: the server sends them as they are (no CPU per request), and a
 * phone on a slow link downloads a third of the bytes.
 */
async function precompress(dir: string) {
  const files = (await listFiles(dir)).filter((f) => COMPRESSIBLE.test(f));
  for (const file of files) {
    const bytes = await readFile(file);
    if (bytes.length < 1024) continue;
    const br = brotliCompressSync(bytes, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: 11,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
    await writeFile(`${file}.br`, br);
    await writeFile(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  }
}

/** Is dist/web built from the sources as they are now? */
export async function isWebBuildCurrent(distDir = WEB_DIST): Promise<boolean> {
  const id = await readFile(path.join(distDir, BUILD_ID), 'utf8').catch(() => '');
  return id.trim() === (await hashWebSources()) && existsSync(path.join(distDir, 'index.html'));
}

/**
 * Builds the web app with Vite in a child process (its memory is given back when it ends), into a
 * fresh folder that replaces dist/web only once complete: a server never serves half a build.
 */
export async function buildWeb(options: { distDir?: string; onLine?: (line: string) => void } = {}) {
  const distDir = options.distDir ?? WEB_DIST;
  const id = await hashWebSources();
  const staging = `${distDir}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(path.dirname(distDir), { recursive: true });
  const vite = path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--outDir', staging, '--logLevel', 'warn'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let output = '';
    const read = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) options.onLine?.(line.trim());
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${output.slice(-4000)}`)),
    );
  });
  await precompress(staging);
  await writeFile(path.join(staging, BUILD_ID), `${id}\n`);
  const old = `${distDir}.old-${process.pid}`;
  if (existsSync(distDir)) await rename(distDir, old);
  await rename(staging, distDir);
  await rm(old, { recursive: true, force: true });
}
