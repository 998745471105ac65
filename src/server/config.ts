import path from 'node:path';
import { z } from 'zod';
import { NOTIFICATION_EVENTS, type NotificationEvent } from '../core/notifications/templates.ts';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** AWS's bucket naming rules: 3–63 lowercase letters, digits, dots and hyphens. */
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, '3–63 lowercase letters, digits, dots or hyphens');

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6 = /^[0-9a-f:.]*:[0-9a-f:.]*(\/\d{1,3})?$/i;

/**
 * Which proxies to believe about the client's address: a number of hops (the proxies in front of the
 * server, counted from it) or their addresses/CIDRs. `true` (believe every hop) is refused: with it any
 * client writes its own X-Forwarded-For and each forged address gets fresh rate limits.
 */
const trustProxy = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    if (/^(true|yes)$/i.test(v)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'TRUST_PROXY=true tin mọi proxy, ai cũng giả được địa chỉ (trusts every hop, so anyone forges X-Forwarded-For): give the number of proxies in front of the server (e.g. 1) or their addresses (e.g. 10.0.0.5,10.0.0.0/24)',
      });
    } else if (
      !/^(false|no|0|\d{1,2})$/i.test(v) &&
      !v.split(',').every((a) => IPV4.test(a.trim()) || IPV6.test(a.trim()))
    ) {
      ctx.addIssue({
        code: 'custom',
        message:
          'a number of proxy hops (e.g. 1) or a comma list of proxy addresses/CIDRs (e.g. 10.0.0.5,10.0.0.0/24)',
      });
    }
  })
  .transform((v): TrustProxy => {
    if (/^(false|no|0)$/i.test(v)) return false;
    if (/^\d+$/.test(v)) return Number(v);
    return v.split(',').map((a) => a.trim());
  });

/** false: the socket's address is the client's; n: n proxies in front; a list: those proxies only. */
export type TrustProxy = false | number | string[];

const endpointUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL, e.g. http://127.0.0.1:9000' });

/** Key segments of S3's safe characters, slashes between; outer slashes are dropped. */
const keyPrefix = z
  .string()
  .transform((v) => v.replace(/^\/+|\/+$/g, ''))
  .pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, "letters, digits, !_.*'()- with / between")
      .refine((v) => !v.split('/').some((s) => s === '.' || s === '..'), 'no "." or ".." segment'),
  );

const S3_SETTINGS = [
  'MOTCUA_S3_ENDPOINT',
  'MOTCUA_S3_REGION',
  'MOTCUA_S3_PREFIX',
  'MOTCUA_S3_FORCE_PATH_STYLE',
] as const;

// An S3 setting without a bucket would send files to the local folder without a word.
function requireBucketForS3Settings(e: Partial<Record<string, unknown>>, ctx: z.RefinementCtx) {
  const set = S3_SETTINGS.filter((name) => e[name] !== undefined);
  if (e.MOTCUA_S3_BUCKET === undefined && set.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['MOTCUA_S3_BUCKET'], message: `required with ${set.join(', ')}` });
  }
}

/** Every environment variable the server reads; the README's configuration table mirrors this. */
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  MOTCUA_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().url().optional(),
  MOTCUA_DEMO: booleanFlag.default(true),
  /** Months of generated dossiers behind the demo's indicators (on with the demo; off to start faster). */
  MOTCUA_DEMO_HISTORY: booleanFlag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: trustProxy.optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  MOTCUA_SEAL_PASSPHRASE: z.string().min(16, 'at least 16 characters').optional(),
  MOTCUA_TSA_URL: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL of an RFC 3161 time-stamp authority' })
    .optional(),
  MOTCUA_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL, e.g. https://motcua.example.gov.vn' })
    .optional(),
  MOTCUA_S3_BUCKET: bucketName.optional(),
  MOTCUA_S3_ENDPOINT: endpointUrl.optional(),
  // Region and flag defaults are applied in loadConfig: here, defined means set by the operator.
  MOTCUA_S3_REGION: z.string().min(1).optional(),
  MOTCUA_S3_PREFIX: keyPrefix.optional(),
  MOTCUA_S3_FORCE_PATH_STYLE: booleanFlag.optional(),
  OIDC_ISSUER: z.url({ protocol: /^https?$/, error: 'the VNeID OpenID Connect issuer URL' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_DEV_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** An HTTP SMS brandname gateway: citizens' consent codes and messages (JSON POST, bearer API key). */
  MOTCUA_SMS_URL: z
    .url({ protocol: /^https?$/, error: 'the SMS gateway URL, e.g. https://sms.example.vn/send' })
    .optional(),
  MOTCUA_SMS_API_KEY: z.string().min(8, 'at least 8 characters').optional(),
  /** The former name of MOTCUA_SMS_API_KEY, still read. */
  MOTCUA_SMS_TOKEN: z.string().min(8, 'at least 8 characters').optional(),
  /** Zalo ZNS's template API (e.g. https://business.openapi.zalo.me/message/template) and the OA's token. */
  MOTCUA_ZALO_ZNS_URL: z.url({ protocol: /^https?$/, error: 'the ZNS template API URL' }).optional(),
  MOTCUA_ZALO_OA_TOKEN: z.string().min(8, 'at least 8 characters').optional(),
  /** The template ids Zalo gave the OA's approved templates, by message: {"received":"312345",…}. */
  MOTCUA_ZALO_TEMPLATE_IDS: z
    .string()
    .transform((text, ctx) => {
      try {
        return z
          .partialRecord(z.enum(NOTIFICATION_EVENTS), z.string().regex(/^\w{1,40}$/))
          .parse(JSON.parse(text));
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `JSON of template ids by message (${NOTIFICATION_EVENTS.join(', ')}), e.g. {"received":"312345"}`,
        });
        return z.NEVER;
      }
    })
    .optional(),
  /** What checks ZNS delivery reports: the app id and the OA secret key. */
  MOTCUA_ZALO_APP_ID: z.string().min(1).optional(),
  MOTCUA_ZALO_OA_SECRET: z.string().min(8, 'at least 8 characters').optional(),
  /** E-mail to citizens: smtp(s)://user:pass@host:port and the sender's address. */
  MOTCUA_SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'smtp://… or smtps://…' }).optional(),
  MOTCUA_MAIL_FROM: z.string().min(3).max(200).optional(),
  MOTCUA_SMS_SENDER: z.string().min(1).max(11).optional(),
  /** The embedded database's scheduled backup: `daily` (default) or `off`. */
  MOTCUA_BACKUP_SCHEDULE: z.enum(['daily', 'off']).default('daily'),
  MOTCUA_BACKUP_DIR: z.string().min(1).optional(),
  MOTCUA_BACKUP_KEEP: z.coerce.number().int().min(1).max(365).default(7),
  /** Protects the seal passphrase inside every backup (12+ characters). */
  MOTCUA_BACKUP_PASSPHRASE: z.string().min(12, 'ít nhất 12 ký tự (at least 12 characters)').optional(),
  /** Worker threads for PDF verification and upload checks (default: one less than the cores, 1–2). */
  MOTCUA_PDF_WORKERS: z.coerce.number().int().min(1).max(16).optional(),
  /** PDF jobs that may wait for a worker before a check is answered 503 PDF_CHECKS_BUSY. */
  MOTCUA_PDF_QUEUE: z.coerce.number().int().min(0).max(200).default(8),
  /** Seconds one PDF job may run before its worker is ended and replaced (the request gets a 422). */
  MOTCUA_PDF_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  /** Days a write's answer is kept for its retries (Idempotency-Key); offline counters may replay late. */
  MOTCUA_IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(7).max(3650).default(90),
});

const ValidEnv = EnvSchema.superRefine(requireBucketForS3Settings).superRefine((e, ctx) => {
  if (e.MOTCUA_SMS_URL && !e.MOTCUA_SMS_API_KEY && !e.MOTCUA_SMS_TOKEN) {
    ctx.addIssue({
      code: 'custom',
      path: ['MOTCUA_SMS_API_KEY'],
      message: 'MOTCUA_SMS_URL needs MOTCUA_SMS_API_KEY',
    });
  }
  if (e.MOTCUA_ZALO_ZNS_URL && !e.MOTCUA_ZALO_OA_TOKEN) {
    ctx.addIssue({
      code: 'custom',
      path: ['MOTCUA_ZALO_OA_TOKEN'],
      message: 'MOTCUA_ZALO_ZNS_URL needs MOTCUA_ZALO_OA_TOKEN',
    });
  }
  if (e.MOTCUA_SMTP_URL && !e.MOTCUA_MAIL_FROM) {
    ctx.addIssue({
      code: 'custom',
      path: ['MOTCUA_MAIL_FROM'],
      message: 'MOTCUA_SMTP_URL needs MOTCUA_MAIL_FROM',
    });
  }
  if (e.OIDC_ISSUER && (!e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET)) {
    ctx.addIssue({
      code: 'custom',
      path: ['OIDC_CLIENT_ID'],
      message: 'OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
    });
  }
});

/** Where files go when MOTCUA_S3_BUCKET is set; credentials come from the AWS SDK's usual environment. */
export type S3Config = {
  bucket: string;
  endpoint: string | undefined;
  region: string;
  prefix: string | undefined;
  forcePathStyle: boolean;
};

export type AppConfig = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demo: boolean;
  demoHistory: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  trustProxy: TrustProxy;
  sessionTtlHours: number;
  /** null: files stay in `<dataDir>/files`. */
  s3: S3Config | null;
  /** The address citizens reach the product at: QR codes on forms and results point there. */
  publicUrl: string;
  /** Protects the seals' keys in the database; unset: kept in `<dataDir>/seal-passphrase`. */
  sealPassphrase: string | undefined;
  /** An RFC 3161 time-stamp authority for every signature; unset: signatures carry the server's time. */
  tsaUrl: string | undefined;
  /** VNeID's OpenID Connect issuer and this system's client; null: the development provider runs. */
  oidc: { issuer: string; clientId: string; clientSecret: string } | null;
  /** The port of the development identity provider (when `oidc` is null). */
  oidcDevPort: number;
  /** Scheduled backups of the embedded database (null: off), and the passphrase protecting the seal's. */
  backup: { dir: string; keep: number } | null;
  backupPassphrase: string | undefined;
  /** The SMS gateway for consent codes; null: the development sender (codes shown in demo mode only). */
  sms: { url: string; token: string; sender: string | undefined } | null;
  /** Zalo ZNS (null: the development outbox), and what checks its delivery reports. */
  zalo: {
    url: string;
    accessToken: string;
    appId: string | undefined;
    secret: string | undefined;
    templateIds: Partial<Record<NotificationEvent, string>>;
  } | null;
  /** E-mail to citizens over SMTP (null: the development outbox). */
  smtp: { url: string; from: string } | null;
  /** The PDF worker pool (pdf-work-pool.ts); the size is left to the pool when unset. */
  pdfWork: { size?: number; queueLimit: number; jobTimeoutMs: number };
  /** Days the answers kept for retried writes (Idempotency-Key) are kept. */
  idempotencyRetentionDays: number;
};

/** Parses the environment once at start; a bad value stops the server with the variable named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = ValidEnv.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Cấu hình không hợp lệ (invalid configuration):\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.MOTCUA_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    demo: e.MOTCUA_DEMO,
    demoHistory: e.MOTCUA_DEMO && e.MOTCUA_DEMO_HISTORY,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY ?? false,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    sealPassphrase: e.MOTCUA_SEAL_PASSPHRASE,
    tsaUrl: e.MOTCUA_TSA_URL,
    publicUrl: (e.MOTCUA_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    oidc: e.OIDC_ISSUER
      ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID ?? '', clientSecret: e.OIDC_CLIENT_SECRET ?? '' }
      : null,
    oidcDevPort: e.OIDC_DEV_PORT ?? (e.PORT === 0 ? 0 : e.PORT + 1),
    // Scheduled backups are the embedded database's; a PostgreSQL server has its own (pg_dump, base backups).
    backup:
      e.MOTCUA_BACKUP_SCHEDULE === 'daily' && !e.DATABASE_URL
        ? {
            dir: path.resolve(e.MOTCUA_BACKUP_DIR ?? path.join(e.MOTCUA_DATA_DIR, 'backups')),
            keep: e.MOTCUA_BACKUP_KEEP,
          }
        : null,
    backupPassphrase: e.MOTCUA_BACKUP_PASSPHRASE,
    sms: e.MOTCUA_SMS_URL
      ? {
          url: e.MOTCUA_SMS_URL,
          token: e.MOTCUA_SMS_API_KEY ?? e.MOTCUA_SMS_TOKEN ?? '',
          sender: e.MOTCUA_SMS_SENDER,
        }
      : null,
    zalo: e.MOTCUA_ZALO_ZNS_URL
      ? {
          url: e.MOTCUA_ZALO_ZNS_URL,
          accessToken: e.MOTCUA_ZALO_OA_TOKEN ?? '',
          appId: e.MOTCUA_ZALO_APP_ID,
          secret: e.MOTCUA_ZALO_OA_SECRET,
          templateIds: e.MOTCUA_ZALO_TEMPLATE_IDS ?? {},
        }
      : null,
    smtp: e.MOTCUA_SMTP_URL ? { url: e.MOTCUA_SMTP_URL, from: e.MOTCUA_MAIL_FROM ?? '' } : null,
    pdfWork: {
      ...(e.MOTCUA_PDF_WORKERS ? { size: e.MOTCUA_PDF_WORKERS } : {}),
      queueLimit: e.MOTCUA_PDF_QUEUE,
      jobTimeoutMs: e.MOTCUA_PDF_TIMEOUT_SECONDS * 1000,
    },
    idempotencyRetentionDays: e.MOTCUA_IDEMPOTENCY_RETENTION_DAYS,
    s3: e.MOTCUA_S3_BUCKET
      ? {
          bucket: e.MOTCUA_S3_BUCKET,
          endpoint: e.MOTCUA_S3_ENDPOINT,
          region: e.MOTCUA_S3_REGION ?? 'us-east-1',
          prefix: e.MOTCUA_S3_PREFIX || undefined,
          forcePathStyle: e.MOTCUA_S3_FORCE_PATH_STYLE ?? false,
        }
      : null,
  };
}
