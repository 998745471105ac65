import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder: the nearest folder above this module whose package.json is MotCua's. Found, not
 * counted in `../..`, because `npm start` runs the server as one bundle from dist/server/<build>/.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'motcua') return dir;
    if (path.dirname(dir) === dir) throw new Error(`MotCua's package.json is not above ${from}`);
  }
}

/** The project folder, found from this file so the server runs from any working directory. */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
export const REFERENCE_DIR = path.join(PROJECT_ROOT, 'reference');
export const SERVER_SOURCE_DIR = path.join(PROJECT_ROOT, 'src', 'server');
