import { z } from 'zod';
import { Paged } from '../paging.ts';
import type { Frequency } from './report-periods.ts';

export const ReportFormat = z.enum(['xlsx', 'pdf'], { error: 'Định dạng phải là xlsx hoặc pdf' });
export type ReportFormat = z.infer<typeof ReportFormat>;

export const ReportFrequency = z.enum(['monthly', 'quarterly', 'yearly'] as const satisfies Frequency[], {
  error: 'Chu kỳ phải là monthly (tháng), quarterly (quý) hoặc yearly (năm)',
});

/** A kept report file: made on request ('custom') or by a schedule. */
export const ReportFile = z.object({
  id: z.number(),
  unitCode: z.string(),
  frequency: z.enum([...ReportFrequency.options, 'custom']),
  from: z.string(),
  to: z.string(),
  format: ReportFormat,
  sizeBytes: z.number(),
  scheduled: z.boolean(),
  createdAt: z.string(),
  fileName: z.string(),
  url: z.string().describe('GET with the session cookie: the file itself'),
});
export type ReportFile = z.infer<typeof ReportFile>;

/** GET /api/reports: a unit's kept report files, newest first. */
export const ReportFileList = Paged(ReportFile);
export type ReportFileList = z.infer<typeof ReportFileList>;

export const ReportSchedule = z.object({
  id: z.number(),
  unitCode: z.string(),
  frequency: ReportFrequency,
  createdAt: z.string(),
});
export type ReportSchedule = z.infer<typeof ReportSchedule>;

/** GET /api/reports/schedules. */
export const ReportScheduleList = z.object({ items: z.array(ReportSchedule) });
export type ReportScheduleList = z.infer<typeof ReportScheduleList>;
