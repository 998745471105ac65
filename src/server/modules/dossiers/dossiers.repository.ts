import { type Kysely, sql, type Transaction } from 'kysely';
import { addDaysToLocalDate, formatVnIso, fromLocal } from '../../../core/calendar/vn-time.ts';
import { DOSSIER_CASE, getDossierState } from '../../../core/dossiers/dossier-machine.ts';
import type { DossierEvent, DossierState } from '../../../core/dossiers/dossier-state.ts';
import { CLOCK_RUNNING_STATES } from '../../../core/dossiers/dossier-status.ts';
import type {
  Assisted,
  StoredApplicant,
  StoredComponent,
  StoredFees,
} from '../../../core/dossiers/dossier-views.schemas.ts';
import type { DB } from '../../db/schema.ts';
import { type AuditEntry, withAuditEntry } from '../audit/audit.service.ts';
import { CODE_TO_ALLOCATE, type CodeToAllocate } from './dossier-intake.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type NewDossier = {
  code: string;
  procedureVersionId: number;
  procedureCode: string;
  channel: 'counter' | 'online' | 'postal';
  supportUnitCode: string;
  receivingUnitCode: string;
  competentUnitCode: string;
  provinceCode: string;
  ruleVersion: string;
  applicant: StoredApplicant;
  applicantNameFolded: string;
  components: StoredComponent[];
  fees: StoredFees;
  createdBy: number | null;
  createdByCitizen?: number | null;
  /** Who helped a present citizen file online, and their consent. */
  assisted?: Assisted | null;
  /** The day's counter the code comes from, when `code` is CODE_TO_ALLOCATE. */
  codeFor?: CodeToAllocate;
};

/** The columns lists filter and sort on, kept in step with the state. */
export function dossierProjection(s: DossierState) {
  return {
    state: s.state,
    status_code: s.statusCode,
    step_key: s.stepKey,
    holder_role: s.holder.kind === 'staff' ? s.holder.role : null,
    holder_account_id: s.holder.kind === 'staff' ? s.holder.accountId : null,
    received_at: s.receivedAt,
    statutory_due_at: s.statutoryDueAt,
    due_at: s.dueAt,
    step_due_at: s.stepDueAt,
    closed_at: s.closedAt,
    snapshot: JSON.stringify(DOSSIER_CASE.toSnapshot(s)),
    version: s.version,
  };
}

const DOSSIER_COLUMNS = [
  'id',
  'code',
  'procedure_version_id',
  'procedure_code',
  'channel',
  'support_unit_code',
  'receiving_unit_code',
  'competent_unit_code',
  'province_code',
  'rule_version',
  'applicant',
  'components',
  'fees',
  'snapshot',
  'version',
  'created_by',
  'assisted',
] as const;

/** The events of several dossiers in their order, by dossier (one query). */
export async function eventsByDossier(db: Db, ids: readonly number[]) {
  const byDossier = new Map<number, DossierEvent[]>();
  if (ids.length === 0) return byDossier;
  const events = await db
    .selectFrom('dossier_event')
    .select(['dossier_id', 'type', 'at', 'actor_id', 'actor_citizen_id', 'actor_role', 'data'])
    .where('dossier_id', 'in', ids)
    .orderBy('dossier_id')
    .orderBy('seq')
    .execute();
  for (const e of events) {
    const list = byDossier.get(Number(e.dossier_id)) ?? [];
    list.push(eventFromRow(e));
    byDossier.set(Number(e.dossier_id), list);
  }
  return byDossier;
}

/**
 * The states of stored dossiers: each snapshot is checked (its version, its shape); one that is older or
 * does not validate is folded again from the dossier's events (all such rows with one query).
 */
export async function readStates(db: Db, rows: readonly { id: number; snapshot: unknown }[]) {
  const states = rows.map((r) => DOSSIER_CASE.readSnapshot(r.snapshot));
  const stale = rows.filter((_, i) => states[i] === null).map((r) => Number(r.id));
  if (stale.length === 0) return states as DossierState[];
  const byDossier = await eventsByDossier(db, stale);
  return rows.map((r, i) => {
    const known = states[i];
    if (known) return known;
    const list = byDossier.get(Number(r.id));
    if (list?.length) return getDossierState(list);
    // A row without events (the benchmarks' generated history writes only projections): its snapshot
    // as stored, with what later versions added.
    const raw = r.snapshot as Partial<DossierState>;
    return { ...raw, forms: raw.forms ?? [] } as DossierState;
  });
}

export function createDossiersRepository() {
  return {
    /**
     * After a restore: every current commune's counter for each day of the window moves on by `gap` (to
     * `ceiling` at most: codes keep four digits), and the numbers skipped are recorded as void under the
     * epoch, so no code issued since the backup (and lost with it) is handed out again.
     * Returns how many (commune, day) counters moved.
     */
    async skipCodesAfterRestore(
      trx: Transaction<DB>,
      window: { fromDay: string; toDay: string; gap: number; ceiling: number; epoch: number },
    ): Promise<number> {
      const { rows } = await sql<{ moved: number }>`
        with planned as (
          select u.code as unit_code, d::date as day, coalesce(c.last_seq, 0) as old_seq,
                 least(coalesce(c.last_seq, 0) + ${window.gap}::int, ${window.ceiling}::int) as new_seq
          from (select distinct code from admin_unit where level = 'commune' and valid_to is null) u
          cross join generate_series(${window.fromDay}::date, ${window.toDay}::date, interval '1 day') d
          left join dossier_code_counter c on c.unit_code = u.code and c.day = d::date
        ),
        moved as (
          insert into dossier_code_counter (unit_code, day, last_seq)
          select unit_code, day, new_seq from planned where new_seq > old_seq
          on conflict (unit_code, day) do update set last_seq = excluded.last_seq
          returning 1
        ),
        voids as (
          insert into number_void (kind, unit_code, scope, from_seq, to_seq, reason, epoch)
          select 'dossier_code', unit_code, to_char(day, 'YYYY-MM-DD'), old_seq + 1, new_seq,
                 'restore', ${window.epoch}::int
          from planned where new_seq > old_seq
          returning 1
        )
        select (select count(*) from moved)::int as moved, (select count(*) from voids)::int as voids`.execute(
        trx,
      );
      return rows[0]?.moved ?? 0;
    },

    /**
     * The dossier and its intake event in one statement (the code counter stays locked meanwhile). The
     * event carries the applicant, the papers and the fees the row keeps too: they are sent once, in the
     * event, and the row takes them from it (a third fewer bytes of an intake on the wire).
     */
    async insertDossier(
      trx: Transaction<DB>,
      d: NewDossier,
      state: DossierState,
      event: DossierEvent,
      audit?: Omit<AuditEntry, 'entityId'>,
    ): Promise<{ id: number; code: string; audited: boolean }> {
      const data = event.data as unknown as Record<string, unknown>;
      const fromEvent = (field: 'applicant' | 'components' | 'fees', value: unknown) => {
        const taken = sql<string>`(select "data" from "e") -> ${sql.lit(field)}`;
        if (data[field] === value) return taken;
        const json = JSON.stringify(value);
        return JSON.stringify(data[field]) === json ? taken : json;
      };
      const allocate = d.codeFor;
      // The day's next number, in this statement: the counter is locked from here to the commit only.
      const counted = allocate
        ? (trx.with('c', (db) =>
            db
              .insertInto('dossier_code_counter')
              .values({ unit_code: allocate.unitCode, day: allocate.day, last_seq: 1 })
              .onConflict((oc) =>
                oc
                  .columns(['unit_code', 'day'])
                  .doUpdateSet({ last_seq: sql`dossier_code_counter.last_seq + 1` }),
              )
              .returning('last_seq'),
          ) as unknown as typeof trx)
        : trx;
      const placeholder = JSON.stringify(CODE_TO_ALLOCATE);
      const codeJson = sql<string>`to_json((select "code" from "k"))::text`;
      const eventJson = JSON.stringify(event.data);
      const withDossier = counted
        .with('k', (db) =>
          db.selectNoFrom(
            (allocate
              ? // Four digits at least, all of them past 9999 (lpad alone would cut the number).
                sql<string>`${allocate.prefix} || (select lpad(t, greatest(4, length(t)), '0') from (select "last_seq"::text as t from "c") as n)`
              : sql<string>`${d.code}`
            ).as('code'),
          ),
        )
        .with('e', (db) =>
          db.selectNoFrom(
            (allocate
              ? sql<string>`replace(${eventJson}, ${placeholder}, ${codeJson})::jsonb`
              : sql<string>`${eventJson}::jsonb`
            ).as('data'),
          ),
        )
        .with('d', (db) =>
          db
            .insertInto('dossier')
            .values({
              code: sql<string>`(select "code" from "k")`,
              procedure_version_id: d.procedureVersionId,
              procedure_code: d.procedureCode,
              channel: d.channel,
              support_unit_code: d.supportUnitCode,
              receiving_unit_code: d.receivingUnitCode,
              competent_unit_code: d.competentUnitCode,
              province_code: d.provinceCode,
              rule_version: d.ruleVersion,
              applicant_citizen_id: d.applicant.citizenId,
              applicant_name: d.applicant.fullName,
              applicant_name_folded: d.applicantNameFolded,
              applicant: fromEvent('applicant', d.applicant),
              components: fromEvent('components', d.components),
              fees: fromEvent('fees', d.fees),
              submitted_at: state.submittedAt,
              created_by: d.createdBy,
              created_by_citizen: d.createdByCitizen ?? null,
              assisted: d.assisted ? JSON.stringify(d.assisted) : null,
              updated_at: event.at,
              ...dossierProjection(state),
            })
            .returning('id'),
        );
      // The audit entry in the same statement: one round trip fewer while the code counter is locked.
      const statement = audit
        ? (withAuditEntry(
            withDossier,
            { ...audit, entityId: sql`(select "id" from "d")` },
            allocate ? { placeholder: CODE_TO_ALLOCATE, json: codeJson } : undefined,
          ) as unknown as typeof withDossier)
        : withDossier;
      const row = await statement
        .insertInto('dossier_event')
        .columns(['dossier_id', 'seq', 'type', 'at', 'actor_id', 'actor_citizen_id', 'actor_role', 'data'])
        .expression((eb) =>
          eb
            .selectFrom(['d', 'e'])
            .select([
              'd.id',
              sql<number>`1`.as('seq'),
              sql<string>`${event.type}`.as('type'),
              sql<Date>`${event.at}::timestamptz`.as('at'),
              sql<number | null>`${event.actor.role === 'citizen' ? null : event.actor.id}::integer`.as(
                'actor_id',
              ),
              sql<number | null>`${event.actor.role === 'citizen' ? event.actor.id : null}::integer`.as(
                'actor_citizen_id',
              ),
              sql<string>`${event.actor.role}`.as('actor_role'),
              'e.data',
            ]),
        )
        .returning([
          'dossier_id',
          sql<string>`(select "code" from "k")`.as('code'),
          sql<number>`${audit ? sql`(select count(*) from "audit_entry")` : sql`0`}::int`.as('audited'),
        ])
        .executeTakeFirstOrThrow();
      // No entry: the unit's chain has no head yet, and the writer records the entry after.
      return { id: Number(row.dossier_id), code: row.code, audited: Number(row.audited) > 0 };
    },

    async insertEvent(trx: Transaction<DB>, dossierId: number, seq: number, e: DossierEvent) {
      await trx
        .insertInto('dossier_event')
        .values({
          dossier_id: dossierId,
          seq,
          type: e.type,
          at: e.at,
          actor_id: e.actor.role === 'citizen' ? null : e.actor.id,
          actor_citizen_id: e.actor.role === 'citizen' ? e.actor.id : null,
          actor_role: e.actor.role,
          data: JSON.stringify(e.data),
        })
        .execute();
    },

    /** Writes the new state only if nobody wrote since `expectedVersion`; false when someone did. */
    /** The projection after an event; the caller holds the row lock (findById forUpdate). */
    async updateState(trx: Transaction<DB>, id: number, s: DossierState, at: string) {
      await trx
        .updateTable('dossier')
        .set({ ...dossierProjection(s), updated_at: at })
        .where('id', '=', id)
        .execute();
    },

    /** The dossier with its state: the stored snapshot when it is current and valid, else folded from the events. */
    async findById(db: Db, id: number, options: { forUpdate?: boolean } = {}) {
      let query = db.selectFrom('dossier').select(DOSSIER_COLUMNS).where('id', '=', id);
      if (options.forUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      if (!row) return undefined;
      return { ...row, current: (await readStates(db, [row]))[0] as DossierState };
    },

    readStates,

    /** Dossiers with the clock running whose promised date falls on a Vietnam day. */
    async listDueOn(db: Db, day: string) {
      return db
        .selectFrom('dossier')
        .select([
          'id',
          'code',
          'procedure_version_id',
          'due_at',
          'version',
          'receiving_unit_code',
          'applicant',
        ])
        .where('state', 'in', [...CLOCK_RUNNING_STATES])
        .where('due_at', '>=', fromLocal(day, 0))
        .where('due_at', '<', fromLocal(addDaysToLocalDate(day, 1), 0))
        .orderBy('id')
        .execute();
    },

    /** Only what the masked public view shows: tracking is the busiest read and needs no file contents. */
    async findPublicByCode(db: Db, code: string) {
      return db
        .selectFrom('dossier')
        .select([
          'id',
          'code',
          'procedure_version_id',
          'receiving_unit_code',
          'applicant_name',
          'applicant_citizen_id',
          'snapshot',
        ])
        .where('code', '=', code)
        .executeTakeFirst()
        .then(async (row) => row && { ...row, current: (await readStates(db, [row]))[0] as DossierState });
    },

    async listEvents(db: Db, id: number): Promise<DossierEvent[]> {
      return (await eventsByDossier(db, [id])).get(id) ?? [];
    },
  };
}

type EventRow = {
  type: string;
  at: Date | string;
  actor_id: number | null;
  actor_citizen_id: number | null;
  actor_role: string;
  data: unknown;
};

/**
 * A stored event as the typed union: events are only written by the kernel from a decision of the
 * action their type names, so the row's data is that action's.
 */
export function eventFromRow(r: EventRow): DossierEvent {
  return {
    type: r.type,
    at: formatVnIso(new Date(r.at)),
    actor: { id: r.actor_id ?? r.actor_citizen_id ?? 0, role: r.actor_role },
    data: r.data,
  } as DossierEvent;
}

export type DossierRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof createDossiersRepository>['findById']>>
>;
