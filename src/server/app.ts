import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import helmet from 'helmet';
import { z } from 'zod';
import type { TrustProxy } from './config.ts';
import type { Database } from './db/connection.ts';
import { createStorageHealth } from './db/storage-health.ts';
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts, httpTimeoutOptions } from './http-timeouts.ts';
import { createJobRunner, type JobRunner } from './jobs/job-runner.ts';
import { jobsRoutes } from './jobs/jobs.routes.ts';
import { createJobsService } from './jobs/jobs.service.ts';
import { purgeJob } from './jobs/kernel-jobs.ts';
import { calendarRoutes } from './modules/calendar/calendar.routes.ts';
import { createCalendarService } from './modules/calendar/calendar.service.ts';
import { catalogRoutes } from './modules/catalog/catalog.routes.ts';
import { createCatalogService } from './modules/catalog/catalog.service.ts';
import { citizensRoutes } from './modules/citizens/citizens.routes.ts';
import { createCitizensService } from './modules/citizens/citizens.service.ts';
import {
  createDevelopmentCodeSender,
  type OneTimeCodeSender,
} from './modules/citizens/messages/one-time-code-sender.ts';
import type { VneidClient } from './modules/citizens/vneid-client.ts';
import { storeConsentRoutes } from './modules/documents/consent/store-consent.routes.ts';
import { createStoreConsentService } from './modules/documents/consent/store-consent.service.ts';
import { documentsRoutes } from './modules/documents/documents.routes.ts';
import { createDocumentsService } from './modules/documents/documents.service.ts';
import { createRecordLoader } from './modules/documents/dossier-record.ts';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './modules/documents/file-checks.ts';
import type { FileStore } from './modules/documents/file-store.ts';
import { formsRoutes } from './modules/documents/forms/forms.routes.ts';
import { createPdfWorkPool, type PdfPoolOptions } from './modules/documents/pdf/pdf-work-pool.ts';
import { resultsRoutes } from './modules/documents/results/results.routes.ts';
import { createResultsService } from './modules/documents/results/results.service.ts';
import { verifyRoutes } from './modules/documents/results/verify.routes.ts';
import { dossiersRoutes } from './modules/dossiers/dossiers.routes.ts';
import { createDossiersService, PUBLIC_VIEW_TTL_MS } from './modules/dossiers/dossiers.service.ts';
import {
  createPublicLookup,
  publicTrackingRoutes,
  type TrackingLimit,
} from './modules/dossiers/public-tracking.routes.ts';
import { renderTrackingFragment } from './modules/dossiers/tracking.page.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { renderHome } from './modules/health/home.page.ts';
import { identityRoutes } from './modules/identity/identity.routes.ts';
import { createIdentityService } from './modules/identity/identity.service.ts';
import { createDevProviders } from './modules/notifications/dev-providers.ts';
import { type CallbackSecrets, notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { createNotificationsService } from './modules/notifications/notifications.service.ts';
import type { Providers } from './modules/notifications/providers.ts';
import { reportsRoutes } from './modules/reports/reports.routes.ts';
import { createReportsService, reportsDueJob } from './modules/reports/reports.service.ts';
import { credentialsRoutes } from './modules/signing/credentials.routes.ts';
import { createCredentialsService } from './modules/signing/credentials.service.ts';
import type { TimeStamper } from './modules/signing/pades.ts';
import { createSigningService } from './modules/signing/signing.service.ts';
import { statsRoutes } from './modules/stats/stats.routes.ts';
import { createStatsService } from './modules/stats/stats.service.ts';
import { createUnitsRepository } from './modules/units/units.repository.ts';
import { unitsRoutes } from './modules/units/units.routes.ts';
import { createUnitsService } from './modules/units/units.service.ts';
import { createVillagesRepository } from './modules/units/villages.repository.ts';
import { createVillagesService } from './modules/units/villages.service.ts';
import { authPlugin } from './plugins/auth.ts';
import { citizenAuthPlugin } from './plugins/citizen-auth.ts';
import { registerDemoBanner } from './plugins/demo-banner.ts';
import { pickLanguage, registerErrorHandler } from './plugins/error-handler.ts';
import { loggerOptions } from './plugins/logging.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerRouteContracts } from './plugins/route-contracts.ts';
import { registerTextInputCheck } from './plugins/text-input.ts';
import { createStartupState, type StartupState } from './startup-state.ts';
import { type WebApp, webRoutes } from './web/web.routes.ts';
import { WEB_DIST } from './web/web-build.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The outbox's job runner (jobs/job-runner.ts). */
    jobs: JobRunner;
  }
}

// Vietnamese first: field messages Zod writes itself (type errors and the like) come out in Vietnamese.
z.config(z.locales.vi());

export type BuildAppOptions = {
  database: Database;
  logLevel?: string;
  logStream?: NodeJS.WritableStream;
  /** Which proxies' X-Forwarded-For to believe (config's TRUST_PROXY): never every hop. */
  trustProxy?: TrustProxy;
  sessionTtlHours?: number;
  startup?: StartupState;
  /** The clock of every decision (tests pin it); the real time by default. */
  now?: () => Date;
  /** Sign-in attempts per client address and window. */
  loginRateLimit?: { max: number; timeWindowMs: number };
  /** How long a public tracking lookup is cached (0: never); default PUBLIC_VIEW_TTL_MS. */
  publicViewTtlMs?: number;
  /** Lookups (and wrong last-4 digits) an address may make per window before tracking stops answering it. */
  trackingLimit?: TrackingLimit;
  /** Where document files go: main.ts passes the data folder's; tests a temporary one. */
  fileStore: FileStore;
  /** Days the answers of retried writes are kept (the purge job); default 90. */
  idempotencyRetentionDays?: number;
  uploadLimits?: Partial<UploadLimits>;
  /** Where citizens reach the product: QR codes on forms and results point there. */
  publicUrl?: string;
  /** Protects the seals' keys in the database (main.ts resolves it; tests pass a fixed one). */
  sealPassphrase: string;
  /** RFC 3161 time stamps on every signature, when a TSA is configured. */
  timeStamper?: TimeStamper;
  /** Public verification uploads per address and minute. */
  verifyRateLimitPerMinute?: number;
  /** Demo mode (MOTCUA_DEMO): the demo certificate authority is trusted only then. */
  demo?: boolean;
  /** The built web app (main.ts builds it when needed); without it the server's plain pages answer. */
  web?: WebApp;
  /** VNeID sign-in for citizens (main.ts: the configured issuer, or the development provider). */
  vneid?: VneidClient | null;
  /**
   * Sends consent codes to citizens (main.ts: the HTTP SMS gateway when MOTCUA_SMS_URL is set); default
   * the development sender, which shows the code to the officer in demo mode only.
   */
  codeSender?: OneTimeCodeSender;
  /** Slow clients are cut: DEFAULT_HTTP_TIMEOUTS unless a test shortens them. */
  httpTimeouts?: Partial<HttpTimeouts>;
  /** The PDF worker threads (verification, upload checks): config's MOTCUA_PDF_*, or DEFAULT_PDF_POOL. */
  pdfWork?: Partial<PdfPoolOptions>;
  /**
   * Where messages to citizens go (main.ts: Zalo ZNS, the SMS gateway, SMTP as configured); default the
   * development outbox shown at /dev/messages.
   */
  notificationProviders?: Providers;
  /** What checks the providers' delivery reports (none: every report is refused). */
  callbackSecrets?: CallbackSecrets;
};

/**
 * Fastify reads a bare hop count as "trust nothing" (it cannot check the immediate peer), so n hops
 * become the classic rule: the n addresses nearest the server are proxies, the next one is the client.
 * Right only when the server is reachable through those proxies alone; a list of addresses is safer.
 */
function fastifyTrustProxy(trust: TrustProxy) {
  if (typeof trust !== 'number') return Array.isArray(trust) ? trust.join(',') : false;
  const hops = trust;
  return (_address: string, hop: number) => hop < hops;
}

// Public reference data: the same for everyone, no personal data (cacheable).
const CACHEABLE_API = /^\/api\/(units|villages|calendar|procedures)(\/|\?|$)/;
const PERSONAL_PAGE = /^\/(track|lite\/track|me|auth)(\/|\?|$)/;

function isPersonalAnswer(url: string) {
  if (url.startsWith('/api/')) return !CACHEABLE_API.test(url);
  return PERSONAL_PAGE.test(url);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Builds the whole server without listening: main.ts listens, tests call inject(). */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options.logLevel ?? 'silent', options.logStream),
    trustProxy: fastifyTrustProxy(options.trustProxy ?? false),
    bodyLimit: 1_048_576,
    ...httpTimeoutOptions({ ...DEFAULT_HTTP_TIMEOUTS, ...options.httpTimeouts }),
    // Keep the caller's request id when it is sane, so a support call can quote it end to end.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerRouteContracts(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Personal data must not stay in a shared PC's browser cache or a proxy's: every API answer and
    // the tracking pages are no-store, except public reference data that may be cached.
    if (isPersonalAnswer(request.url) && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
  });

  const storage = createStorageHealth(options.database);
  registerErrorHandler(app, storage);
  registerTextInputCheck(app, pickLanguage);
  const demo = options.demo ?? true;
  if (demo) registerDemoBanner(app);
  // The security headers, built once (the Fastify wrapper rebuilt helmet on every request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        // Counter PCs reach the server over the centre's LAN in plain HTTP: upgrading every link and form
        // to https would break them (TLS, when there is one, is the reverse proxy's).
        upgradeInsecureRequests: null,
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined));
  });
  await registerOpenApi(app);

  const { db } = options.database;
  const startup = options.startup ?? createStartupState(true);
  const now = options.now ?? (() => new Date());
  // Sessions and lock-outs run on the wall clock; `now` is the clock of the legal time rules.
  const identity = createIdentityService(db, { sessionTtlHours: options.sessionTtlHours ?? 12 });
  const units = createUnitsService(createUnitsRepository(db));
  const villages = createVillagesService(db, createVillagesRepository(db), units, now);
  const calendar = createCalendarService(db, units);
  const catalog = createCatalogService(db);
  const dossiers = createDossiersService({
    db,
    identity,
    catalog,
    calendar,
    units,
    now,
    publicViewTtlMs: options.publicViewTtlMs ?? PUBLIC_VIEW_TTL_MS,
  });

  await app.register(authPlugin, { identity });
  const citizens = createCitizensService(db, { sessionTtlHours: options.sessionTtlHours ?? 12 });
  await app.register(citizenAuthPlugin, { citizens });
  await app.register(healthRoutes, { database: options.database, startup, storage, demo });
  const web = options.web ?? { dir: WEB_DIST, ready: false };
  await app.register(identityRoutes, {
    identity,
    units,
    loginRateLimit: options.loginRateLimit ?? { max: 30, timeWindowMs: 60_000 },
  });
  await app.register(unitsRoutes, { units, villages });
  await app.register(calendarRoutes, { calendar });
  await app.register(catalogRoutes, { catalog });
  await app.register(dossiersRoutes, { dossiers });
  const notifications = createNotificationsService({
    db,
    now,
    publicUrl: options.publicUrl ?? 'http://localhost:3000',
    providers: options.notificationProviders ?? createDevProviders(db, now),
    dossiers,
  });
  // Every dossier event the applicant should hear about records its messages in the event's transaction.
  dossiers.writer.subscribe(notifications.onDossierEvent);
  await app.register(notificationsRoutes, {
    notifications,
    demo,
    secrets: options.callbackSecrets ?? { zalo: null, sms: null },
    now,
  });
  const stats = createStatsService({ db, units, now });
  await app.register(statsRoutes, { stats });
  const reports = createReportsService({ db, stats, files: options.fileStore, now });
  await app.register(reportsRoutes, { reports });
  // The outbox's runner: built here so routes can wake it; main.ts starts it once the server is ready,
  // tests call app.jobs.runOnce() with their own clock.
  const jobs = createJobRunner({
    db: options.database.background ?? db,
    now,
    definitions: [
      reportsDueJob(reports),
      purgeJob({ idempotencyRetentionDays: options.idempotencyRetentionDays ?? 90 }),
      ...notifications.jobs,
    ],
    log: (fields, message) => app.log.warn(fields, message),
    // Messages wait on their providers, not on the database: several go at once.
    concurrency: 8,
  });
  app.decorate('jobs', jobs);
  // A write that succeeded may have enqueued a message: the runner looks now, not at its next poll.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 300) jobs.wake();
  });
  app.addHook('onClose', () => jobs.stop());
  await app.register(jobsRoutes, { jobs: createJobsService({ db, now, wake: jobs.wake }) });
  const publicLookup = createPublicLookup({ dossiers, now, limit: options.trackingLimit });
  await app.register(publicTrackingRoutes, { lookup: publicLookup });
  await app.register(webRoutes, {
    web,
    demo,
    fallbackHome: () => renderHome(startup, web.ready),
    // The tracking page's first paint carries the dossier (the same counted lookup, status only).
    trackingShell: async (ip, code) => {
      try {
        return renderTrackingFragment(await publicLookup(ip, code));
      } catch {
        return null;
      }
    },
  });

  // Verification and upload checks of PDFs run in worker threads: a hostile file holds a worker, never
  // the event loop. Workers start on the first PDF and end with the app.
  const pdfWork = createPdfWorkPool(options.pdfWork, app.log);
  app.addHook('onClose', () => pdfWork.close());
  const limits: UploadLimits = { ...DEFAULT_UPLOAD_LIMITS, ...options.uploadLimits };
  const consent = createStoreConsentService({
    db,
    dossiers,
    findVerifiedPhone: (citizenId) => citizens.findVerifiedPhone(citizenId),
    unitName: async (code) => (await units.getUnitRecord(code)).name,
    sender: options.codeSender ?? createDevelopmentCodeSender({ demo: options.demo ?? true }),
    now,
  });
  await app.register(storeConsentRoutes, { consent });
  const documents = createDocumentsService({
    db,
    files: options.fileStore,
    dossiers,
    consent,
    limits,
    now,
    pdfWork,
  });
  await app.register(documentsRoutes, { documents, limits });
  const publicUrl = options.publicUrl ?? 'http://localhost:3000';
  const loadRecord = createRecordLoader({ dossiers, units, identity, publicUrl });
  await app.register(formsRoutes, { loadRecord, now });
  const signing = createSigningService({
    db,
    sealPassphrase: options.sealPassphrase,
    now,
    timeStamper: options.timeStamper,
    trustDemoAuthority: demo,
    pdfWork,
  });
  const results = createResultsService({
    db,
    files: options.fileStore,
    dossiers,
    signing,
    loadRecord,
    publicUrl,
    now,
  });
  const credentials = createCredentialsService({
    db,
    units,
    sealPassphrase: options.sealPassphrase,
    now,
    signing,
  });
  await app.register(credentialsRoutes, { credentials, demo });
  await app.register(resultsRoutes, { results, documents, dossiers });
  await app.register(citizensRoutes, {
    citizens,
    vneid: options.vneid ?? null,
    dossiers,
    documents,
    results,
    limits,
  });
  await app.register(verifyRoutes, {
    signing,
    results,
    files: options.fileStore,
    ...(options.verifyRateLimitPerMinute ? { rateLimitPerMinute: options.verifyRateLimitPerMinute } : {}),
  });
  return app;
}
