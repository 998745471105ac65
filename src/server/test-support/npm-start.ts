import { type ChildProcess, spawn } from 'node:child_process';
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

export type ProductRun = {
  child: ChildProcess;
  /** Its stdout and stderr so far. */
  output: () => string;
  exit: Promise<number | null>;
  /** The address it listens on, once it has said so ('' before). */
  url: () => string;
};

/**
 * Starts the product as `npm start` does on an embedded data folder, on a free port, without the demo
 * (the reference data is loaded; the demo's certificates and signed results are not needed), and
 * remembers the process in `children` for the test's clean-up.
 */
export function startProduct(dataDir: string, children: ChildProcess[]): ProductRun {
  const child = spawn(process.execPath, npmStartArgs(), {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      MOTCUA_DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
      MOTCUA_DEMO: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = () => /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
  return { child, output: () => out, exit, url };
}
