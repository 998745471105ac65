import type { Kysely, Transaction } from 'kysely';
import type { ProcedureComponent } from '../../../core/catalog/procedure.schemas.ts';
import type {
  CitizenDossier,
  CitizenDossierList,
  CitizenTimelineEntry,
} from '../../../core/dossiers/citizen-dossiers.schemas.ts';
import { isOverdue } from '../../../core/dossiers/dossier-machine.ts';
import type { DossierState } from '../../../core/dossiers/dossier-state.ts';
import { AppError } from '../../../core/errors.ts';
import type { RatingInput } from '../../../core/identity/citizen.ts';
import type { DB } from '../../db/schema.ts';
import { runIdempotent } from '../../kernel/idempotency.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { procedureNamesOf } from './dossier-lists.ts';
import type { DossierWriter } from './dossier-store.ts';
import { type createDossiersRepository, type DossierRow, readStates } from './dossiers.repository.ts';
import { type CitizenActor, citizenWriter } from './online-intake.ts';

type Deps = {
  db: Kysely<DB>;
  catalog: CatalogService;
  calendar: CalendarService;
  now: () => Date;
  repo: ReturnType<typeof createDossiersRepository>;
  writer: DossierWriter;
  forgetPublic: (code: string) => void;
};

/** A dossier's events as its applicant sees them: what happened and when, no officers' names. */
function timelineOf(s: DossierState): CitizenTimelineEntry[] {
  return s.controlSlip.map((r) => ({ at: r.at, kind: r.action, verdict: r.verdict }));
}

/**
 * The applicant's own dossiers, whichever channel they came in by: each is theirs by the personal ID
 * number VNeID vouches for. Anything else is "not found", as for an unknown id.
 */
export function createCitizenDossiers(deps: Deps) {
  const { db, catalog, calendar, repo } = deps;

  async function getOwn(actor: CitizenActor, id: number) {
    const row = await repo.findById(db, id);
    if (!row || String(row.applicant.citizenId) !== actor.citizen.citizenId) {
      throw new AppError('DOSSIER_NOT_FOUND', { id });
    }
    return row;
  }

  async function findRating(dossierId: number) {
    return db
      .selectFrom('dossier_rating')
      .select(['rating', 'comment', 'created_at'])
      .where('dossier_id', '=', dossierId)
      .executeTakeFirst();
  }

  async function toCitizenView(row: DossierRow): Promise<CitizenDossier> {
    const s = row.current;
    const procedure = await catalog.getVersion(row.procedure_version_id);
    const rating = await findRating(row.id);
    const supplement =
      s.state === 'awaiting_supplement'
        ? (await repo.listEvents(db, row.id)).findLast((e) => e.type === 'request-supplement')
        : null;
    const finished = s.state === 'result_ready' || s.state === 'returned';
    return {
      id: row.id,
      code: row.code,
      channel: row.channel,
      procedure: { code: procedure.definition.code, name: procedure.definition.name },
      statusCode: s.statusCode,
      submittedAt: s.submittedAt,
      receivedAt: s.receivedAt,
      dueAt: s.dueAt,
      overdue: isOverdue(s, deps.now()),
      resultReadyAt: s.resultReadyAt,
      returnedAt: s.returnedAt,
      timeline: timelineOf(s),
      components: (row.components as Pick<ProcedureComponent, 'key' | 'name' | 'requirement'>[]).map((c) => ({
        key: c.key,
        name: c.name,
        requirement: c.requirement,
      })),
      supplement: supplement
        ? {
            requestedAt: supplement.at,
            reasons: (supplement.data.reasons as string[]) ?? [],
            missingComponents: (supplement.data.missingComponents as string[] | undefined) ?? [],
            applicantDeadline: (supplement.data.applicantDeadline as string | undefined) ?? null,
          }
        : null,
      hasResult: finished,
      rating: rating
        ? { rating: rating.rating, comment: rating.comment, at: rating.created_at.toISOString() }
        : null,
      canRate: finished && !rating,
      version: s.version,
    };
  }

  return {
    getOwn,

    async listForCitizen(actor: CitizenActor, page: number, pageSize: number): Promise<CitizenDossierList> {
      const base = db
        .selectFrom('dossier as d')
        .where('d.applicant_citizen_id', '=', actor.citizen.citizenId);
      const counted = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await base
        .leftJoin('dossier_rating as r', 'r.dossier_id', 'd.id')
        .select([
          'd.id',
          'd.code',
          'd.channel',
          'd.procedure_code',
          'd.procedure_version_id',
          'd.snapshot',
          'r.rating',
        ])
        .orderBy('d.submitted_at', 'desc')
        .orderBy('d.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      const now = deps.now();
      const states = await readStates(db, rows);
      const names = await procedureNamesOf((v) => catalog.getVersion(v).then((p) => p.definition.name), rows);
      return {
        items: rows.map((r, i) => {
          const s = states[i] as DossierState;
          return {
            id: Number(r.id),
            code: r.code,
            channel: r.channel,
            procedureCode: r.procedure_code,
            procedureName: names.get(r.procedure_version_id) ?? '',
            statusCode: s.statusCode,
            submittedAt: s.submittedAt,
            dueAt: s.dueAt,
            overdue: isOverdue(s, now),
            needsSupplement: s.state === 'awaiting_supplement',
            hasResult: s.state === 'result_ready' || s.state === 'returned',
            rated: r.rating !== null,
          };
        }),
        total: Number(counted.n),
        page,
        pageSize,
      };
    },

    async getForCitizen(actor: CitizenActor, id: number): Promise<CitizenDossier> {
      return toCitizenView(await getOwn(actor, id));
    },

    /**
     * The applicant hands in the supplement online: the clock runs again from now and the dossier goes
     * back to the officer who asked for it. The papers were added before (documents module).
     */
    async supplement(
      actor: CitizenActor,
      id: number,
      note: string | undefined,
      idempotencyKey: string | undefined,
    ): Promise<CitizenDossier> {
      const answer = await runIdempotent(
        db,
        {
          scope: `citizen:${actor.citizen.id}`,
          key: idempotencyKey,
          route: `POST /api/citizen/dossiers/${id}/supplement`,
          fingerprint: { note },
        },
        async () => {
          const row = await getOwn(actor, id);
          return {
            procedure: await catalog.getVersion(row.procedure_version_id),
            cal: await calendar.getCalendar(row.receiving_unit_code),
          };
        },
        async (trx, { procedure, cal }) => {
          const { row } = await deps.writer.act(trx, {
            actor: citizenWriter(actor),
            id,
            action: 'supplement-received',
            input: note ? { note } : {},
            audit: { online: true },
            notFound: () => new AppError('DOSSIER_NOT_FOUND', { id }),
            check: async ({ row }) => {
              if (String(row.applicant.citizenId) !== actor.citizen.citizenId) {
                throw new AppError('DOSSIER_NOT_FOUND', { id });
              }
            },
            context: (now) => ({
              now,
              calendar: cal,
              procedure: procedure.definition,
              actor: { id: actor.citizen.id, role: 'citizen' },
            }),
          });
          const locked = row;
          // The view is read after the commit: inside, the transaction holds the embedded database's one connection.
          return { status: 200, body: { id, code: locked.code } };
        },
      );
      deps.forgetPublic(answer.body.code);
      return toCitizenView(await getOwn(actor, id));
    },

    /** The component of their own dossier a citizen may add a paper to: only while a supplement is asked. */
    async openForSupplement(actor: CitizenActor, id: number, componentKey: string) {
      const row = await getOwn(actor, id);
      if (row.current.state !== 'awaiting_supplement') {
        throw new AppError('CONFLICT', { detail: `hồ sơ ${row.code} không ở trạng thái chờ bổ sung` });
      }
      const component = (row.components as { key: string; name: string }[]).find(
        (c) => c.key === componentKey,
      );
      if (!component) throw new AppError('COMPONENT_NOT_FOUND', { key: componentKey });
      return { id: Number(row.id), component };
    },

    /**
     * Adds the applicant's papers while the dossier awaits their supplement, under the dossier's row lock
     * (an officer acting at the same moment waits, and a closed request takes no papers).
     */
    async attach(
      actor: CitizenActor,
      id: number,
      write: (trx: Transaction<DB>, unitCode: string) => Promise<void>,
    ) {
      await db.transaction().execute(async (trx) => {
        const locked = await repo.findById(trx, id, { forUpdate: true });
        if (!locked || String(locked.applicant.citizenId) !== actor.citizen.citizenId) {
          throw new AppError('DOSSIER_NOT_FOUND', { id });
        }
        if (locked.current.state !== 'awaiting_supplement') {
          throw new AppError('CONFLICT', { detail: `hồ sơ ${locked.code} không ở trạng thái chờ bổ sung` });
        }
        await write(trx, locked.receiving_unit_code);
        await recordAudit(trx, {
          actorId: null,
          action: 'document.upload',
          entity: 'dossier',
          entityId: id,
          unitCode: locked.receiving_unit_code,
          details: { code: locked.code, citizen: actor.citizen.id, online: true },
          at: deps.now(),
          requestId: actor.requestId,
          ip: actor.ip,
          userAgent: actor.userAgent,
        });
      });
    },

    /** One rating per dossier, by its applicant, once it has a result. */
    async rate(actor: CitizenActor, id: number, input: RatingInput): Promise<CitizenDossier> {
      const row = await getOwn(actor, id);
      const s = row.current;
      if (s.state !== 'result_ready' && s.state !== 'returned') {
        throw new AppError('VALIDATION_FAILED', {}, { body: 'Chỉ đánh giá được khi hồ sơ đã có kết quả' });
      }
      await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('dossier_rating')
          .values({
            dossier_id: id,
            citizen_account_id: actor.citizen.id,
            rating: input.rating,
            comment: input.comment ?? null,
          })
          .onConflict((oc) => oc.column('dossier_id').doNothing())
          .returning('dossier_id')
          .executeTakeFirst();
        if (!inserted) throw new AppError('ALREADY_RATED');
        await recordAudit(trx, {
          actorId: null,
          action: 'dossier.rate',
          entity: 'dossier',
          entityId: id,
          unitCode: row.receiving_unit_code,
          details: { code: row.code, rating: input.rating, citizen: actor.citizen.id },
          at: deps.now(),
          requestId: actor.requestId,
          ip: actor.ip,
          userAgent: actor.userAgent,
        });
      });
      return toCitizenView(row);
    },
  };
}
