import type { Kysely } from 'kysely';
import { z } from 'zod';
import { toLocalDate } from '../../../core/calendar/vn-time.ts';
import { AppError } from '../../../core/errors.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import { type Frequency, lastCompletedPeriod, type Period } from '../../../core/stats/report-periods.ts';
import type {
  ReportFile,
  ReportFileList,
  ReportFormat,
  ReportSchedule,
} from '../../../core/stats/reports.schemas.ts';
import { canScheduleReports } from '../../../core/stats/stats-access.ts';
import type { DB } from '../../db/schema.ts';
import { defineJob } from '../../jobs/job-definition.ts';
import { runIdempotent } from '../../kernel/idempotency.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { FileStore } from '../documents/file-store.ts';
import type { StatsService, UnitRef } from '../stats/stats.service.ts';
import { buildReportData, type ReportTableKey } from './report-data.ts';
import { renderCsv, renderPdf, renderXlsx } from './report-render.ts';

export type { ReportFormat };

type Origin = { requestId: string; ip: string | null; userAgent: string | null };

export const MEDIA_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export const fileNameOf = (f: {
  unit_code: string;
  period_from: string;
  period_to: string;
  format: string;
}) => `bao-cao-tthc-${f.unit_code}-${f.period_from}-${f.period_to}.${f.format}`;

export function createReportsService(deps: {
  db: Kysely<DB>;
  stats: StatsService;
  files: FileStore;
  now: () => Date;
}) {
  const { db, stats, files } = deps;

  async function render(unit: UnitRef, period: Period, format: ReportFormat) {
    const data = await buildReportData({ db, stats, now: deps.now }, unit, period);
    const createdAt = deps.now();
    const bytes = format === 'xlsx' ? await renderXlsx(data, createdAt) : await renderPdf(data, createdAt);
    const sha256 = await files.put(bytes);
    return { sha256, size: bytes.length };
  }

  const view = (r: {
    id: number;
    unit_code: string;
    frequency: ReportFile['frequency'];
    period_from: string;
    period_to: string;
    format: ReportFormat;
    size_bytes: number;
    created_by: number | null;
    created_at: Date;
  }): ReportFile => ({
    id: r.id,
    unitCode: r.unit_code,
    frequency: r.frequency,
    from: r.period_from,
    to: r.period_to,
    format: r.format,
    sizeBytes: r.size_bytes,
    scheduled: r.created_by === null,
    createdAt: new Date(r.created_at).toISOString(),
    fileName: fileNameOf(r),
    url: `/api/reports/${r.id}/file`,
  });

  /** Makes the report of every schedule's last whole period that has no file yet (both formats). */
  async function runDue(): Promise<number> {
    const today = toLocalDate(deps.now());
    const schedules = await db.selectFrom('report_schedule').selectAll().orderBy('id').execute();
    let made = 0;
    for (const s of schedules) {
      const period = lastCompletedPeriod(s.frequency, today);
      const unit = await stats.resolveUnit(s.unit_code);
      for (const format of ['xlsx', 'pdf'] as const) {
        const exists = await db
          .selectFrom('report_file')
          .select('id')
          .where('unit_code', '=', s.unit_code)
          .where('frequency', '=', s.frequency)
          .where('period_from', '=', period.from)
          .where('format', '=', format)
          .where('created_by', 'is', null)
          .executeTakeFirst();
        if (exists) continue;
        const file = await render(unit, period, format);
        const row = await db
          .insertInto('report_file')
          .values({
            unit_code: s.unit_code,
            frequency: s.frequency,
            period_from: period.from,
            period_to: period.to,
            format,
            sha256: file.sha256,
            size_bytes: file.size,
            schedule_id: s.id,
            created_by: null,
          })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (row) made++;
      }
    }
    return made;
  }

  return {
    runDue,

    async create(
      staff: StaffPrincipal,
      origin: Origin,
      input: { unit: string; from: string; to: string; format: ReportFormat },
      idempotencyKey: string | undefined,
    ) {
      return runIdempotent(
        db,
        { scope: `staff:${staff.id}`, key: idempotencyKey, route: 'POST /api/reports', fingerprint: input },
        async () => {
          const unit = await stats.unitFor(staff, input.unit);
          return { unit, file: await render(unit, { from: input.from, to: input.to }, input.format) };
        },
        async (trx, { unit, file }) => {
          const row = await trx
            .insertInto('report_file')
            .values({
              unit_code: unit.code,
              frequency: 'custom',
              period_from: input.from,
              period_to: input.to,
              format: input.format,
              sha256: file.sha256,
              size_bytes: file.size,
              created_by: staff.id,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await recordAudit(trx, {
            actorId: staff.id,
            action: 'report.create',
            entity: 'report_file',
            entityId: row.id,
            unitCode: unit.code.length === 5 ? unit.code : null,
            details: input,
            at: deps.now(),
            ...origin,
          });
          return { status: 201, body: view(row) };
        },
      );
    },

    async list(
      staff: StaffPrincipal,
      query: { unit: string; page: number; pageSize: number },
    ): Promise<ReportFileList> {
      const unit = await stats.unitFor(staff, query.unit);
      const [items, total] = await Promise.all([
        db
          .selectFrom('report_file')
          .selectAll()
          .where('unit_code', '=', unit.code)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(query.pageSize)
          .offset((query.page - 1) * query.pageSize)
          .execute(),
        db
          .selectFrom('report_file')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('unit_code', '=', unit.code)
          .executeTakeFirstOrThrow(),
      ]);
      return { items: items.map(view), total: Number(total.n), page: query.page, pageSize: query.pageSize };
    },

    async file(staff: StaffPrincipal, id: number) {
      const row = await db.selectFrom('report_file').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new AppError('DOCUMENT_NOT_FOUND', { id });
      await stats.unitFor(staff, row.unit_code);
      const bytes = await files.get(row.sha256);
      if (!bytes) throw new AppError('DOCUMENT_NOT_FOUND', { id });
      return { bytes, mediaType: MEDIA_TYPES[row.format], fileName: fileNameOf(row) };
    },

    async csv(
      staff: StaffPrincipal,
      query: { unit: string; from: string; to: string; table: ReportTableKey },
    ) {
      const unit = await stats.unitFor(staff, query.unit);
      const data = await buildReportData({ db, stats, now: deps.now }, unit, query);
      const table = data.tables.find((t) => t.key === query.table);
      if (!table) {
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          { 'query.table': 'Bảng này chỉ có ở báo cáo của tỉnh hoặc toàn quốc' },
        );
      }
      return { csv: renderCsv(table), fileName: `${query.table}-${unit.code}-${query.from}-${query.to}.csv` };
    },

    async schedules(staff: StaffPrincipal, unitCode: string): Promise<ReportSchedule[]> {
      const unit = await stats.unitFor(staff, unitCode);
      const rows = await db
        .selectFrom('report_schedule')
        .selectAll()
        .where('unit_code', '=', unit.code)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        unitCode: r.unit_code,
        frequency: r.frequency,
        createdAt: new Date(r.created_at).toISOString(),
      }));
    },

    async addSchedule(
      staff: StaffPrincipal,
      origin: Origin,
      input: { unit: string; frequency: Frequency },
    ): Promise<ReportSchedule> {
      const unit = await stats.unitFor(staff, input.unit);
      if (!canScheduleReports(staff, unit)) throw new AppError('FORBIDDEN', {});
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('report_schedule')
          .values({ unit_code: unit.code, frequency: input.frequency, created_by: staff.id })
          .onConflict((oc) =>
            oc.columns(['unit_code', 'frequency']).doUpdateSet({ frequency: input.frequency }),
          )
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, {
          actorId: staff.id,
          action: 'report.schedule',
          entity: 'report_schedule',
          entityId: row.id,
          unitCode: unit.code.length === 5 ? unit.code : null,
          details: input,
          at: deps.now(),
          ...origin,
        });
        return {
          id: row.id,
          unitCode: row.unit_code,
          frequency: row.frequency,
          createdAt: new Date(row.created_at).toISOString(),
        };
      });
    },

    async removeSchedule(staff: StaffPrincipal, origin: Origin, id: number) {
      const row = await db.selectFrom('report_schedule').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new AppError('DOCUMENT_NOT_FOUND', { id });
      const unit = await stats.unitFor(staff, row.unit_code);
      if (!canScheduleReports(staff, unit)) throw new AppError('FORBIDDEN', {});
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('report_schedule').where('id', '=', id).execute();
        await recordAudit(trx, {
          actorId: staff.id,
          action: 'report.unschedule',
          entity: 'report_schedule',
          entityId: id,
          unitCode: row.unit_code.length === 5 ? row.unit_code : null,
          details: { frequency: row.frequency },
          at: deps.now(),
          ...origin,
        });
      });
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;

/** Every hour, on the job runner: the scheduled reports whose period has ended (one process per slot). */
export function reportsDueJob(reports: ReportsService) {
  return defineJob({
    kind: 'reports.run-due',
    payload: z.object({}),
    every: { ms: 3_600_000, payload: {} },
    leaseMs: 15 * 60_000,
    maxAttempts: 3,
    run: async () => {
      await reports.runDue();
    },
  });
}

/** The digests of every kept report file (a restore checks each against its bytes). */
export async function listReportFileDigests(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('report_file').select('sha256').distinct().execute();
  return rows.map((r) => r.sha256);
}
