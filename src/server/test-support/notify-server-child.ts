/**
 * A child process for the notifications' kill -9 test: the whole app on the embedded folder argv[2],
 * listening on a free port, its job runner started, messages going to the ZNS server at ZNS_URL.
 */
import { buildApp } from '../app.ts';
import { openDatabase } from '../db/connection.ts';
import { createLocalFileStore } from '../modules/documents/file-store.ts';
import { createZnsClient } from '../modules/notifications/providers.ts';
import { tickingClock } from './test-app.ts';
import { TEST_SEAL_PASSPHRASE } from './test-database.ts';

const dir = process.argv[2];
if (dir) {
  const database = await openDatabase({ kind: 'embedded', dataDir: dir });
  const app = await buildApp({
    database,
    fileStore: createLocalFileStore(`${dir}/files`),
    sealPassphrase: TEST_SEAL_PASSPHRASE,
    now: tickingClock(new Date(process.env.START_AT as string)),
    logLevel: 'warn',
    notificationProviders: {
      kind: 'http',
      zalo: createZnsClient({ url: process.env.ZNS_URL as string, accessToken: 'oa-token-kill-test' }),
      sms: null,
      email: null,
    },
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  app.jobs.start();
  process.stdout.write(`listening at ${url}\n`);
}
