import { JobList, type JobState } from '../../core/jobs/jobs.schemas.ts';
import { api, toQuery } from './client.ts';

export type { JobState };

/** The job runner's jobs for the system administrator (GET /api/admin/jobs), read with the server's schema. */
export const listJobs = (
  q: { state?: JobState; kind?: string; page: number; pageSize: number },
  signal?: AbortSignal,
) =>
  api<unknown>(`/api/admin/jobs${toQuery(q)}`, signal ? { signal } : {}).then((body) => JobList.parse(body));

/** Gives a dead job its tries back; it runs again at once. */
export const retryJob = (id: number) => api<void>(`/api/admin/jobs/${id}/retry`, { method: 'POST' });
