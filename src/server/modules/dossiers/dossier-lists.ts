import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { LocalDate } from '../../../core/calendar/schemas.ts';
import { fromLocal, toLocalDate } from '../../../core/calendar/vn-time.ts';
import { isOverdue } from '../../../core/dossiers/dossier-machine.ts';
import type { DossierState } from '../../../core/dossiers/dossier-state.ts';
import { CLOCK_RUNNING_STATES, DOSSIER_STATES } from '../../../core/dossiers/dossier-status.ts';
import type { DossierListItem } from '../../../core/dossiers/dossier-views.schemas.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import { type Paged, PageNumber, PageSize } from '../../../core/paging.ts';
import { foldVietnamese } from '../../../core/units/unit-names.ts';
import type { DB } from '../../db/schema.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import { readStates } from './dossiers.repository.ts';

/** The catalogue's name of a procedure version (the catalogue keeps them in memory). */
export type ProcedureNames = (procedureVersionId: number) => Promise<string>;

/** The names of the procedure versions a page of dossiers names, each asked once. */
export async function procedureNamesOf(
  procedureName: ProcedureNames,
  rows: readonly { procedure_version_id: number }[],
) {
  const ids = [...new Set(rows.map((r) => r.procedure_version_id))];
  const names = await Promise.all(ids.map((id) => procedureName(id)));
  return new Map(ids.map((id, i) => [id, names[i] ?? '']));
}

export const WORK_LISTS = [
  'all',
  'mine',
  'to_receive',
  'unit',
  'due_today',
  'due_soon',
  'overdue',
  'waiting_applicant',
] as const;

export const DossierListQuery = z.object({
  view: z.enum(WORK_LISTS, { error: `Danh sách: ${WORK_LISTS.join(', ')}` }).default('all'),
  status: z
    .string()
    .trim()
    .refine((s) => /^([1-9]|10)$/.test(s) || (DOSSIER_STATES as readonly string[]).includes(s), {
      error: `Trạng thái là mã 1–10 hoặc một trong: ${DOSSIER_STATES.join(', ')}`,
    })
    .optional(),
  q: z.string().trim().min(2, { error: 'Từ khóa ít nhất 2 ký tự' }).max(100).optional(),
  procedure: z.string().trim().max(20).optional(),
  channel: z.enum(['counter', 'online', 'postal']).optional(),
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  sort: z.enum(['dueAt', '-dueAt', 'submittedAt', '-submittedAt', 'code']).default('dueAt'),
  page: PageNumber,
  pageSize: PageSize(100, 20),
});
export type DossierListQuery = z.infer<typeof DossierListQuery>;

const CLOCK_STATES = [...CLOCK_RUNNING_STATES];
const DUE_SOON_WORKING_DAYS = 2;

/** Work lists and search over the dossiers the caller may see, newest facts from the projection. */
export async function listDossiers(
  db: Kysely<DB>,
  calendar: CalendarService,
  procedureName: ProcedureNames,
  staff: StaffPrincipal,
  query: DossierListQuery,
  now: Date,
): Promise<Paged<DossierListItem>> {
  let q = db.selectFrom('dossier as d');
  // The caller's reach, the same rule as canReadDossier.
  switch (staff.role) {
    case 'system_admin':
    case 'ministry_viewer':
      break;
    case 'province_admin':
    case 'province_inspector':
      q = q.where('d.province_code', '=', staff.unitCode);
      break;
    case 'support_volunteer':
      q = q.where('d.created_by', '=', staff.id).where('d.support_unit_code', '=', staff.unitCode);
      break;
    case 'commune_admin':
      q = q.where(sql<boolean>`false`);
      break;
    default:
      q = q.where((eb) =>
        eb.or([
          eb('d.receiving_unit_code', '=', staff.unitCode),
          eb('d.competent_unit_code', '=', staff.unitCode),
          eb('d.support_unit_code', '=', staff.unitCode),
        ]),
      );
  }
  const today = toLocalDate(now);
  switch (query.view) {
    case 'mine':
      // A role's queue is the competent commune's: a receiving commune's officer of the same role
      // cannot take up another commune's decision.
      q = q.where((eb) =>
        eb.or([
          eb('d.holder_account_id', '=', staff.id),
          eb.and([
            eb('d.holder_account_id', 'is', null),
            eb('d.holder_role', '=', staff.role),
            eb('d.competent_unit_code', '=', staff.unitCode),
          ]),
        ]),
      );
      q = q.where('d.closed_at', 'is', null);
      break;
    case 'to_receive':
      // Filed online or by post and not yet checked by reception: the counter's first job.
      q = q.where('d.state', '=', 'submitted');
      break;
    case 'unit':
      q = q.where('d.closed_at', 'is', null);
      break;
    case 'due_today':
      q = q
        .where('d.state', 'in', CLOCK_STATES)
        .where('d.due_at', '>=', fromLocal(today, 0))
        .where('d.due_at', '<', fromLocal(today, 24 * 60));
      break;
    case 'due_soon': {
      const cal = await calendar.getCalendar(staff.unitCode.length === 5 ? staff.unitCode : undefined);
      q = q
        .where('d.state', 'in', CLOCK_STATES)
        .where('d.due_at', '>=', now)
        .where('d.due_at', '<=', cal.addWorkingDays(now, DUE_SOON_WORKING_DAYS));
      break;
    }
    case 'overdue':
      q = q.where('d.state', 'in', CLOCK_STATES).where('d.due_at', '<', now);
      break;
    case 'waiting_applicant':
      q = q.where('d.state', 'in', ['awaiting_supplement', 'awaiting_payment']);
      break;
    default:
      break;
  }
  if (query.status) {
    q = /^\d+$/.test(query.status)
      ? q.where('d.status_code', '=', Number(query.status))
      : q.where('d.state', '=', query.status);
  }
  if (query.procedure) q = q.where('d.procedure_code', '=', query.procedure);
  if (query.channel) q = q.where('d.channel', '=', query.channel);
  if (query.from) q = q.where('d.submitted_at', '>=', fromLocal(query.from, 0));
  if (query.to) q = q.where('d.submitted_at', '<', fromLocal(query.to, 24 * 60));
  if (query.q) {
    const text = query.q;
    if (/^\d{12}$/.test(text)) q = q.where('d.applicant_citizen_id', '=', text);
    else {
      const folded = `%${foldVietnamese(text).replace(/[%_\\]/g, '\\$&')}%`;
      q = q.where((eb) =>
        eb.or([
          eb('d.applicant_name_folded', 'like', folded),
          eb('d.code', 'ilike', `%${text.replace(/[%_\\]/g, '\\$&')}%`),
        ]),
      );
    }
  }
  const counted = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const [column, direction] = query.sort.startsWith('-')
    ? ([query.sort.slice(1), 'desc'] as const)
    : ([query.sort, 'asc'] as const);
  const orderColumn =
    column === 'dueAt' ? 'd.due_at' : column === 'submittedAt' ? 'd.submitted_at' : 'd.code';
  const rows = await q
    .select([
      'd.id',
      'd.code',
      'd.channel',
      'd.applicant_name',
      'd.applicant_citizen_id',
      'd.procedure_code',
      'd.procedure_version_id',
      'd.receiving_unit_code',
      'd.snapshot',
    ])
    .orderBy(sql.ref(orderColumn), (ob) =>
      direction === 'asc' ? ob.asc().nullsLast() : ob.desc().nullsLast(),
    )
    .orderBy('d.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const states = await readStates(db, rows);
  const names = await procedureNamesOf(procedureName, rows);
  return {
    items: rows.map((r, i) => {
      const s = states[i] as DossierState;
      return {
        id: r.id,
        code: r.code,
        channel: r.channel,
        applicantName: r.applicant_name,
        citizenId: r.applicant_citizen_id,
        procedureCode: r.procedure_code,
        procedureName: names.get(r.procedure_version_id) ?? '',
        receivingUnitCode: r.receiving_unit_code,
        status: s.state,
        statusCode: s.statusCode,
        stepKey: s.stepKey,
        submittedAt: s.submittedAt,
        dueAt: s.dueAt,
        stepDueAt: s.stepDueAt,
        overdue: isOverdue(s, now),
        version: s.version,
      };
    }),
    total: Number(counted.n),
    page: query.page,
    pageSize: query.pageSize,
  };
}
