import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { MigrationMismatchError, migrate } from './db/migrator.ts';
import { isNewDataFolder, openConfiguredDatabase } from './db/open-configured.ts';
import { checkProductionStart } from './db/seed/demo-guard.ts';
import { seedDatabase, seedPending } from './db/seed/seed.ts';
import { runSeedProcess, type SeedRun } from './db/seed/seed-runner.ts';
import { StorageUnavailableError, storageCause } from './db/storage-errors.ts';
import { startBackupScheduler } from './modules/backup/backup-scheduler.ts';
import { startControlSocket } from './modules/backup/control-socket.ts';
import { snapshotEmbedded } from './modules/backup/embedded-snapshot.ts';
import { createHttpSmsSender } from './modules/citizens/messages/http-sms-sender.ts';
import { createVneidClient } from './modules/citizens/vneid-client.ts';
import { startDevProvider } from './modules/citizens/vneid-dev-provider.ts';
import { createConfiguredFileStore } from './modules/documents/configured-file-store.ts';
import { S3BucketUnreachableError } from './modules/documents/s3-file-store.ts';
import { createConfiguredProviders } from './modules/notifications/configured-providers.ts';
import { findSealThatDoesNotOpen, resolveSealPassphrase } from './modules/signing/seal-passphrase.ts';
import { createHttpTimeStamper } from './modules/signing/tsa.ts';
import { createStartupState, STAGE_LABELS } from './startup-state.ts';
import { createWebApp } from './web/web.routes.ts';
import { buildWeb, isWebBuildCurrent, WEB_DIST } from './web/web-build.ts';

/** The embedded data folder, for the message when the disk fails later in the start. */
let dataFolder: string | undefined;

async function main() {
  const config = loadConfig();
  // Hashing the web sources needs no database: it runs while the database opens.
  const webCurrentCheck = isWebBuildCurrent();
  webCurrentCheck.catch(() => undefined);
  dataFolder = config.databaseUrl ? undefined : config.dataDir;
  // Before the database: a bucket that cannot be reached stops the start with nothing opened yet.
  const fileStore = await createConfiguredFileStore(config);
  // A new embedded folder is created, migrated and loaded by the first start's load in a process of
  // its own (seed-process.ts): the server opens it once that is done, as on a second start.
  const newFolder = !config.databaseUrl && isNewDataFolder(config.dataDir);
  const database = await openConfiguredDatabase(config, '', { closedUntilLent: newFolder });
  if (!newFolder) {
    await migrate(database.db);
    const demoRefusal = await checkProductionStart(database.db, config.demo);
    if (demoRefusal) {
      console.error(demoRefusal);
      await database.close();
      process.exit(2);
    }
  }
  const sealPassphrase = await resolveSealPassphrase(config.sealPassphrase, config.dataDir);

  // VNeID: the configured issuer, or the development provider with its test citizens on its own port.
  const redirectUri = `${config.publicUrl}/auth/vneid/callback`;
  const devSecret = randomBytes(24).toString('base64url');
  const devProvider = config.oidc
    ? null
    : await startDevProvider({
        issuer: config.publicUrl,
        port: config.oidcDevPort,
        host: config.host,
        clientId: 'motcua-dev',
        clientSecret: devSecret,
        redirectUris: [redirectUri],
      });
  const vneid = createVneidClient(
    config.oidc
      ? { ...config.oidc, redirectUri }
      : { issuer: devProvider?.issuer ?? '', clientId: 'motcua-dev', clientSecret: devSecret, redirectUri },
  );

  const startup = createStartupState(false);
  // A build from other sources is not served: until the new one is done, the plain pages answer.
  const webCurrent = await webCurrentCheck;
  const web = { ...createWebApp(WEB_DIST), ...(webCurrent ? {} : { ready: false }) };
  const app = await buildApp({
    web,
    vneid,
    database,
    logLevel: config.logLevel,
    trustProxy: config.trustProxy,
    sessionTtlHours: config.sessionTtlHours,
    startup,
    fileStore,
    idempotencyRetentionDays: config.idempotencyRetentionDays,
    publicUrl: config.publicUrl,
    sealPassphrase,
    demo: config.demo,
    ...(config.sms ? { codeSender: createHttpSmsSender(config.sms) } : {}),
    // No provider configured: the development outbox in demo mode, and no message at all otherwise (a real
    // deployment must not mark messages sent that no citizen received).
    ...(config.sms || config.zalo || config.smtp || !config.demo
      ? { notificationProviders: createConfiguredProviders(config) }
      : {}),
    callbackSecrets: {
      zalo:
        config.zalo?.appId && config.zalo.secret
          ? { appId: config.zalo.appId, secret: config.zalo.secret }
          : null,
      sms: config.sms ? { key: config.sms.token } : null,
    },
    pdfWork: config.pdfWork,
    ...(config.tsaUrl ? { timeStamper: createHttpTimeStamper(config.tsaUrl) } : {}),
  });

  // The embedded database's local door for `npm run backup` while the server runs, and its daily backup.
  const embedded = database.kind === 'embedded';
  const control = embedded
    ? await startControlSocket(config.dataDir, ({ target }) =>
        snapshotEmbedded(database.db, config.dataDir, target),
      )
    : null;
  const backups =
    embedded && config.backup
      ? startBackupScheduler({
          database,
          dataDir: config.dataDir,
          dir: config.backup.dir,
          keep: config.backup.keep,
          filesDir: config.s3 ? null : path.join(config.dataDir, 'files'),
          sealPassphrase,
          protectWith: config.backupPassphrase,
          log: app.log,
        })
      : null;

  let stopping = false;
  let seedRun: SeedRun | null = null;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    // A first load under way stops with the server (its transaction rolls back; the next start redoes it).
    seedRun?.stop();
    backups?.stop();
    await control?.close();
    await app.close();
    await devProvider?.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // Listen first so /readyz and the home page can show loading progress on a first start.
  await app.listen({ port: config.port, host: config.host });
  const webBuilt = webCurrent
    ? Promise.resolve()
    : (async () => {
        app.log.info('Đang dựng giao diện web (building the web app)…');
        const started = Date.now();
        await buildWeb();
        web.ready = true;
        app.log.info({ ms: Date.now() - started }, 'Đã dựng giao diện web (web app built)');
      })();
  // A failed build is reported when the data has loaded (awaited below), not as an unhandled rejection.
  webBuilt.catch(() => undefined);
  let lastShown = -1;
  const onProgress = (stage: string, progress: number) => {
    startup.stage = stage;
    startup.progress = Math.round(progress * 100) / 100;
    const percent = Math.floor(progress * 10) * 10;
    if (percent !== lastShown) {
      lastShown = percent;
      app.log.info(`${STAGE_LABELS[stage] ?? stage}: ${Math.round(progress * 100)}%`);
    }
  };
  const seedOptions = { demo: config.demo, history: config.demoHistory };
  if (database.lend && (newFolder || (await seedPending(database.db, seedOptions)))) {
    // A first start on the embedded database: the load runs in a child process on the lent folder, and
    // what it grows goes back with it (the server then idles as after a second start).
    const lend = database.lend;
    try {
      await lend(async () => {
        // Stopped while the folder was being closed: nothing to load, stop() ends the process.
        if (stopping) return;
        seedRun = runSeedProcess(config.dataDir, onProgress);
        try {
          await seedRun.done;
        } finally {
          seedRun = null;
        }
      });
    } catch (err) {
      // Stopped by a signal while loading: stop() ends the process, the next start loads again.
      if (stopping) return;
      throw err;
    }
  } else {
    await seedDatabase(database.db, {
      ...seedOptions,
      files: fileStore,
      sealPassphrase,
      publicUrl: config.publicUrl,
      onProgress,
    });
  }
  if (!web.ready) {
    startup.stage = 'web';
    startup.progress = 0.99;
  }
  await webBuilt;
  if (stopping) return;
  startup.ready = true;
  startup.stage = 'ready';
  // The outbox's deliveries and the scheduled work (reports, purges) start once the data is there.
  app.jobs.start();
  app.log.info(
    {
      database: database.kind,
      location: database.location,
      files: fileStore.kind,
      readyInMs: Math.round(process.uptime() * 1000),
      vneid: devProvider ? `development provider at ${devProvider.issuer}` : config.oidc?.issuer,
    },
    `MotCua sẵn sàng tại http://localhost:${config.port} (ready)`,
  );
  // Checked once the server is ready (opening a PKCS#12 takes a moment): only a warning depends on it.
  void findSealThatDoesNotOpen(database.db, sealPassphrase).then(
    (sealShut) => {
      if (!sealShut) return;
      app.log.error(
        { unit: sealShut },
        'Không mở được con dấu số bằng mật khẩu hiện tại (MOTCUA_SEAL_PASSPHRASE hoặc <data>/seal-passphrase đã đổi?): chưa ký được kết quả (the seals do not open with the seal passphrase)',
      );
    },
    () => undefined,
  );
}

main().catch((err) => {
  const storage = storageCause(err);
  if (storage && dataFolder) {
    console.error(new StorageUnavailableError(dataFolder, storage).message);
    process.exit(2);
  }
  if (err instanceof MigrationMismatchError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err instanceof S3BucketUnreachableError ? err.message : err);
  process.exit(1);
});
