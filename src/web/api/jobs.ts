import { JobList, type JobState } from '../../core/jobs/jobs.schemas.ts';
import { api, send, toQuery } from './client.ts';

export type { JobState };

/** The job runner's jobs for the system administrator (GET /api/admin/jobs). */
export const listJobs = (
  q: { state?: JobState; kind?: string; page: number; pageSize: number },
  signal?: AbortSignal,
) => api(`/api/admin/jobs${toQuery(q)}`, JobList, signal ? { signal } : {});

/** Gives a dead job its tries back; it runs again at once. */
export const retryJob = (id: number) => send(`/api/admin/jobs/${id}/retry`, { method: 'POST' });
