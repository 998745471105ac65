/**
 * The first start's load (reference data, the demo and its history) in a process of its own, on the
 * embedded data folder the server has lent it (Database.lend): what the load grows, PGlite's WebAssembly
 * heap above all, goes back to the system when this process ends, so the server idles as after a second
 * start. Started by main.ts with the server's environment; it tells its progress over the IPC channel.
 */
import { Worker } from 'node:worker_threads';
import { loadConfig } from '../../config.ts';
import { createConfiguredFileStore } from '../../modules/documents/configured-file-store.ts';
import { resolveSealPassphrase } from '../../modules/signing/seal-passphrase.ts';
import { openDatabase } from '../connection.ts';
import { migrate } from '../migrator.ts';
import { storageCause } from '../storage-errors.ts';
import { seedDatabase } from './seed.ts';
import type { SeedMessage } from './seed-runner.ts';

const send = (message: SeedMessage) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(message, () => resolve());
  });

// The server died (kill -9, a crash): the next server would take the folder's lock over and open the
// folder while this process still writes to it. Stop at once, like a crash (the load's transaction rolls
// back). A thread watches, because PGlite holds the main thread for seconds within one statement.
process.on('disconnect', () => process.exit(1));
new Worker(
  `const { workerData: parent } = require('node:worker_threads');
  setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL'); }, 100);`,
  { eval: true, workerData: process.ppid },
).unref();

try {
  const config = loadConfig();
  const fileStore = await createConfiguredFileStore(config);
  // A new folder takes a few seconds to create and migrate before the first loading stage says anything.
  await send({ kind: 'progress', stage: 'database', progress: 0 });
  // The server holds the folder's lock and has closed its own PGlite on it until this process ends.
  const database = await openDatabase({ kind: 'embedded', dataDir: config.dataDir, lock: false });
  try {
    // A new folder is created (initdb) and migrated here, not in the server.
    await migrate(database.db);
    await seedDatabase(database.db, {
      demo: config.demo,
      history: config.demoHistory,
      files: fileStore,
      sealPassphrase: await resolveSealPassphrase(config.sealPassphrase, config.dataDir),
      publicUrl: config.publicUrl,
      onProgress: (stage, progress) => void send({ kind: 'progress', stage, progress }),
    });
  } finally {
    await database.close();
  }
  await send({ kind: 'done' });
  process.exit(0);
} catch (err) {
  await send({
    kind: 'failed',
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    storage: storageCause(err),
  });
  process.exit(1);
}
