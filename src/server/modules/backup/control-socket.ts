import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * The running server's local door for maintenance (the backup of a live embedded database): a Unix
 * socket (a named pipe on Windows) only the server's own user may open. A process that may read the
 * data folder could copy it anyway; this lets it get a consistent copy without stopping the server.
 */
export function controlSocketPath(dataDir: string): string {
  const id = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  return process.platform === 'win32'
    ? `\\\\.\\pipe\\motcua-${id}`
    : path.join(os.tmpdir(), `motcua-${id}.sock`);
}

const Request = z.object({ op: z.literal('snapshot'), target: z.string().min(1).max(4096) });
type Request = z.infer<typeof Request>;
export type ControlAnswer = { ok: true } | { ok: false; error: string };

export type ControlServer = { close(): Promise<void> };

const MAX_REQUEST_BYTES = 8192;

export async function startControlSocket(
  dataDir: string,
  handle: (request: Request) => Promise<void>,
): Promise<ControlServer> {
  const where = controlSocketPath(dataDir);
  // A socket file left by a crashed server: the data folder's lock is ours, so nobody listens on it.
  if (process.platform !== 'win32') fs.rmSync(where, { force: true });
  const server = net.createServer((socket) => {
    let text = '';
    let taken = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      // One request per connection: what follows its line is ignored, an endless line is cut.
      if (taken) return;
      text += chunk;
      if (text.length > MAX_REQUEST_BYTES) return socket.destroy();
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      taken = true;
      const parsed = Request.safeParse(safeJson(text.slice(0, newline)));
      const answer = (a: ControlAnswer) => socket.end(`${JSON.stringify(a)}\n`);
      if (!parsed.success) return answer({ ok: false, error: 'bad request' });
      handle(parsed.data).then(
        () => answer({ ok: true }),
        (err: unknown) => answer({ ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => resolve());
  });
  if (process.platform !== 'win32') fs.chmodSync(where, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if (process.platform !== 'win32') fs.rmSync(where, { force: true });
      }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Asks the server that holds `dataDir` to do something; null when no server listens there. */
export async function askRunningServer(dataDir: string, request: Request): Promise<ControlAnswer | null> {
  const where = controlSocketPath(dataDir);
  return new Promise((resolve, reject) => {
    const socket = net.connect(where);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('end', () => {
      const answer = safeJson(text.trim()) as ControlAnswer | null;
      answer ? resolve(answer) : reject(new Error('the server gave no answer'));
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') resolve(null);
      else reject(err);
    });
  });
}
