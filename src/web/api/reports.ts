import type { Frequency } from '../../core/stats/report-periods.ts';
import {
  ReportFile,
  ReportFileList,
  ReportFormat,
  ReportFrequency,
  ReportSchedule,
  ReportScheduleList,
} from '../../core/stats/reports.schemas.ts';
import { api, send, toQuery } from './client.ts';

export type { Frequency, ReportFile, ReportFormat, ReportSchedule };
export const REPORT_FORMATS: readonly ReportFormat[] = ReportFormat.options;
export const FREQUENCIES: readonly Frequency[] = ReportFrequency.options;

/** The report's tables one by one as CSV (reports.routes.ts); `units` only for a province or the nation. */
export const REPORT_TABLES = ['summary', 'fields', 'score', 'procedures', 'units'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

export type ReportInput = { unit: string; from: string; to: string; format: ReportFormat };

export const listReports = (q: { unit: string; page: number; pageSize: number }, signal?: AbortSignal) =>
  api(`/api/reports${toQuery(q)}`, ReportFileList, signal ? { signal } : {});

/** Renders and keeps the report; the same key on a retry returns the first file, never a second. */
export const createReport = (input: ReportInput, idempotencyKey: string) =>
  api('/api/reports', ReportFile, { method: 'POST', body: input, idempotencyKey });

/** One table of the report for the period, as a CSV download (a plain link: the session cookie goes). */
export const reportCsvUrl = (q: { unit: string; from: string; to: string; table: ReportTable }) =>
  `/api/reports/export.csv${toQuery(q)}`;

export const listSchedules = (unit: string, signal?: AbortSignal) =>
  api(`/api/reports/schedules${toQuery({ unit })}`, ReportScheduleList, signal ? { signal } : {});

export const addSchedule = (input: { unit: string; frequency: Frequency }) =>
  api('/api/reports/schedules', ReportSchedule, { method: 'POST', body: input });

export const removeSchedule = (id: number) => send(`/api/reports/schedules/${id}`, { method: 'DELETE' });
