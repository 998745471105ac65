import type { Frequency } from '../../core/stats/report-periods.ts';
import { api, toQuery } from './client.ts';

export type { Frequency };
export type ReportFormat = 'xlsx' | 'pdf';
export const REPORT_FORMATS: readonly ReportFormat[] = ['xlsx', 'pdf'];
export const FREQUENCIES: readonly Frequency[] = ['monthly', 'quarterly', 'yearly'];

/** The report's tables one by one as CSV (reports.routes.ts); `units` only for a province or the nation. */
export const REPORT_TABLES = ['summary', 'fields', 'score', 'procedures', 'units'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

/** A kept report file (GET /api/reports): made on request ('custom') or by a schedule. */
export type ReportFile = {
  id: number;
  unitCode: string;
  frequency: Frequency | 'custom';
  from: string;
  to: string;
  format: ReportFormat;
  sizeBytes: number;
  scheduled: boolean;
  createdAt: string;
  fileName: string;
  /** GET with the session cookie: the file itself. */
  url: string;
};

export type ReportSchedule = { id: number; unitCode: string; frequency: Frequency; createdAt: string };

export type ReportInput = { unit: string; from: string; to: string; format: ReportFormat };

export const listReports = (q: { unit: string; page: number; pageSize: number }, signal?: AbortSignal) =>
  api<{ items: ReportFile[]; total: number; page: number; pageSize: number }>(
    `/api/reports${toQuery(q)}`,
    signal ? { signal } : {},
  );

/** Renders and keeps the report; the same key on a retry returns the first file, never a second. */
export const createReport = (input: ReportInput, idempotencyKey: string) =>
  api<ReportFile>('/api/reports', { method: 'POST', body: input, idempotencyKey });

/** One table of the report for the period, as a CSV download (a plain link: the session cookie goes). */
export const reportCsvUrl = (q: { unit: string; from: string; to: string; table: ReportTable }) =>
  `/api/reports/export.csv${toQuery(q)}`;

export const listSchedules = (unit: string, signal?: AbortSignal) =>
  api<{ items: ReportSchedule[] }>(`/api/reports/schedules${toQuery({ unit })}`, signal ? { signal } : {});

export const addSchedule = (input: { unit: string; frequency: Frequency }) =>
  api<ReportSchedule>('/api/reports/schedules', { method: 'POST', body: input });

export const removeSchedule = (id: number) => api<void>(`/api/reports/schedules/${id}`, { method: 'DELETE' });
