import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';

/**
 * Node's arguments as `npm start` runs the server (package.json's script, without `node`), for the
 * tests and benchmarks that start the product as its users do.
 */
export function npmStartArgs(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
  const [node, ...args] = String(manifest.scripts.start).split(/\s+/);
  if (node !== 'node') throw new Error(`npm start does not run node: ${manifest.scripts.start}`);
  return args;
}
