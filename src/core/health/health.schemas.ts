import { z } from 'zod';

/** GET /api/public/site: whether demo data is on (invented accounts, the demo authority trusted). */
export const SiteInfo = z.object({ demo: z.boolean() });
export type SiteInfo = z.infer<typeof SiteInfo>;

/** GET /healthz: the process is up. */
export const Liveness = z.object({ status: z.literal('ok') });
export type Liveness = z.infer<typeof Liveness>;

export const DatabaseHealth = z.object({
  kind: z.enum(['embedded', 'postgresql']),
  fsync: z
    .boolean()
    .describe("whether a commit reaches the disk before it is acknowledged (PostgreSQL's fsync)"),
});
export type DatabaseHealth = z.infer<typeof DatabaseHealth>;

/** GET /readyz, 200: the database answers and the reference data is loaded. */
export const Ready = z.object({ status: z.literal('ready'), database: DatabaseHealth });
export type Ready = z.infer<typeof Ready>;

/** GET /readyz, 503: still loading (with the stage and progress), or unavailable (with why writes fail). */
export const NotReady = z.object({
  status: z.enum(['loading', 'unavailable']),
  database: DatabaseHealth,
  storage: z.enum(['full', 'read-only', 'not-a-folder', 'not-writable', 'io']).optional(),
  stage: z.string().optional(),
  progress: z.number().optional(),
});
export type NotReady = z.infer<typeof NotReady>;
