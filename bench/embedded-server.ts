/**
 * The app on an embedded data folder the real server has already loaded, with PGlite's fsync off
 * (`-F`, PGlite's default before durability was turned on): the intake benchmark's comparison row.
 * Run by bench/embedded-intake.ts: node --import tsx bench/embedded-server.ts <data folder>
 */
import path from 'node:path';
import { buildApp } from '../src/server/app.ts';
import { openDatabase } from '../src/server/db/connection.ts';
import { migrate } from '../src/server/db/migrator.ts';
import { createLocalFileStore } from '../src/server/modules/documents/file-store.ts';
import { resolveSealPassphrase } from '../src/server/modules/signing/seal-passphrase.ts';

const dataDir = process.argv[2] as string;
const database = await openDatabase({ kind: 'embedded', dataDir, durable: false });
await migrate(database.db);
const app = await buildApp({
  database,
  fileStore: createLocalFileStore(path.join(dataDir, 'files')),
  sealPassphrase: await resolveSealPassphrase(undefined, dataDir),
  logLevel: 'warn',
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`Server listening at ${url}`);
process.on('SIGTERM', async () => {
  await app.close();
  await database.close();
  process.exit(0);
});
