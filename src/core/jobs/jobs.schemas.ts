import { z } from 'zod';

/** A job's life: waiting or being tried, delivered, or out of tries (the dead-letter list). */
export const JobState = z.enum(['pending', 'done', 'dead'], {
  error: 'Trạng thái phải là pending, done hoặc dead',
});
export type JobState = z.infer<typeof JobState>;

/** A job as the staff app lists it: what, when, how it went; never its payload (it may name a citizen). */
export const JobSummary = z.object({
  id: z.number(),
  kind: z.string(),
  state: JobState,
  attempts: z.number(),
  maxAttempts: z.number(),
  runAt: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type JobSummary = z.infer<typeof JobSummary>;

/** GET /api/admin/jobs. */
export const JobList = z.object({
  items: z.array(JobSummary),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  counts: z.object({ pending: z.number(), done: z.number(), dead: z.number() }),
  kinds: z.array(z.string()),
});
export type JobList = z.infer<typeof JobList>;
