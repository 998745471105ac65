import type { Kysely, Transaction } from 'kysely';
import { LRUCache } from 'lru-cache';
import { formatVnIso } from '../../../core/calendar/vn-time.ts';
import { feesOf } from '../../../core/catalog/fees.ts';
import {
  canActOnDossier,
  canReadDossier,
  type DossierScope,
  unitMayTakeAction,
} from '../../../core/dossiers/dossier-access.ts';
import {
  ACTION_NAMES_VI,
  type ActionInput,
  type DossierAction,
  INTAKE_ROLES,
} from '../../../core/dossiers/dossier-actions.ts';
import type { IntakeInput } from '../../../core/dossiers/dossier-inputs.ts';
import { isTerminal } from '../../../core/dossiers/dossier-machine.ts';
import type { DossierState } from '../../../core/dossiers/dossier-state.ts';
import { AppError } from '../../../core/errors.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import type { DB } from '../../db/schema.ts';
import { runIdempotent } from '../../kernel/idempotency.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { Actor, IdentityService } from '../identity/identity.service.ts';
import type { UnitsService } from '../units/units.service.ts';
import { createCitizenDossiers } from './citizen-dossiers.ts';
import {
  checkComponents,
  codeOfTheDay,
  getPublishedForIntake,
  newDossier,
  resolveAddress,
  resolveUnits,
} from './dossier-intake.ts';
import { type DossierListQuery, listDossiers } from './dossier-lists.ts';
import { createDossierWriter, type DossierWriter } from './dossier-store.ts';
import { toDossierView } from './dossier-view.ts';
import { createDossiersRepository, type DossierRow } from './dossiers.repository.ts';
import { createOnlineIntake } from './online-intake.ts';

/** The rule set dossiers are handled under now; stored on each dossier. */
export const RULE_VERSION = 'Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP';

export type DossiersDeps = {
  db: Kysely<DB>;
  /** Who an assignment names (the identity module owns the staff accounts). */
  identity: Pick<IdentityService, 'findActiveStaff'>;
  catalog: CatalogService;
  calendar: CalendarService;
  units: UnitsService;
  now: () => Date;
  /** How long a public lookup is kept (0: not cached); default PUBLIC_VIEW_TTL_MS. */
  publicViewTtlMs?: number;
};

/** The audit log's actor of a write by an officer. */
export function staffWriter(actor: Actor) {
  return {
    kind: 'staff' as const,
    id: actor.staff.id,
    requestId: actor.requestId,
    ip: actor.ip,
    userAgent: actor.userAgent,
  };
}

export function scopeOf(
  row: Pick<
    DossierRow,
    'support_unit_code' | 'receiving_unit_code' | 'competent_unit_code' | 'province_code' | 'created_by'
  >,
): DossierScope {
  return {
    supportUnitCode: row.support_unit_code,
    receivingUnitCode: row.receiving_unit_code,
    competentUnitCode: row.competent_unit_code,
    provinceCode: row.province_code,
    createdBy: row.created_by,
  };
}

export function createDossiersService(deps: DossiersDeps) {
  const { db, catalog, calendar, units } = deps;
  const repo = createDossiersRepository();
  /** The one write path of dossiers (src/server/kernel/case-writer.ts); other modules subscribe to it. */
  const writer: DossierWriter = createDossierWriter(repo, deps.now);

  async function view(row: DossierRow, staff: StaffPrincipal) {
    const procedure = await catalog.getVersion(row.procedure_version_id);
    return toDossierView(row, procedure.definition, procedure.version, staff, deps.now(), (a) =>
      unitMayTakeAction(staff, scopeOf(row), a, row.current.state),
    );
  }

  /** A receiving commune taking a decision that is the competent commune's: 403 naming that commune. */
  async function checkCompetence(staff: StaffPrincipal, row: DossierRow, action: DossierAction) {
    if (unitMayTakeAction(staff, scopeOf(row), action, row.current.state)) return;
    const competent = await units
      .getUnitRecord(row.competent_unit_code)
      .then((u) => u.name)
      .catch(() => row.competent_unit_code);
    throw new AppError('NOT_COMPETENT_UNIT', { competent, action: ACTION_NAMES_VI[action] });
  }

  /** The dossier if the caller may see it; another commune's dossier does not exist for them (404). */
  async function getReadable(staff: StaffPrincipal, id: number) {
    const row = await repo.findById(db, id);
    if (!row || !canReadDossier(staff, scopeOf(row))) throw new AppError('DOSSIER_NOT_FOUND', { id });
    return row;
  }

  function auditRead(actor: Actor, row: DossierRow, action: string, details: Record<string, unknown> = {}) {
    return recordAudit(db, {
      actorId: actor.staff.id,
      action,
      entity: 'dossier',
      entityId: row.id,
      unitCode: row.receiving_unit_code,
      details: { code: row.code, ...details },
      at: deps.now(),
      ...actor,
    });
  }

  /**
   * Resolves the named officer of an assignment: active, of the competent commune (it decides the
   * dossier, whoever received it), any role (checked later).
   */
  async function findAssignee(row: DossierRow, assigneeId: number | undefined) {
    if (assigneeId === undefined) return undefined;
    const account = await deps.identity.findActiveStaff(assigneeId);
    if (!account || account.unitCode !== row.competent_unit_code) {
      throw new AppError(
        'VALIDATION_FAILED',
        {},
        {
          'body.assigneeId': `Không có cán bộ số ${assigneeId} đang làm việc tại xã, phường có thẩm quyền giải quyết hồ sơ`,
        },
      );
    }
    return account.role;
  }

  const publicTtl = deps.publicViewTtlMs ?? PUBLIC_VIEW_TTL_MS;
  const publicViews =
    publicTtl > 0 ? new LRUCache<string, PublicFound>({ max: 10_000, ttl: publicTtl }) : null;
  let publicGeneration = 0;
  /** After a commit that changed the dossier: its public view is read again. */
  function forgetPublic(code: string) {
    publicGeneration++;
    publicViews?.delete(code);
  }

  type PreparedAction = Awaited<ReturnType<typeof prepareAction>>;

  /** What an action needs read before its transaction: access, the procedure version, the calendar. */
  async function prepareAction(staff: StaffPrincipal, id: number, action: DossierAction, input: ActionInput) {
    const row = await getReadable(staff, id);
    if (!canActOnDossier(staff, scopeOf(row))) {
      throw new AppError('ROLE_NOT_ALLOWED', { action: ACTION_NAMES_VI[action] });
    }
    await checkCompetence(staff, row, action);
    return {
      id,
      code: row.code,
      procedure: await catalog.getVersion(row.procedure_version_id),
      cal: await calendar.getCalendar(row.receiving_unit_code),
      assigneeRole: await findAssignee(row, (input as { assigneeId?: number }).assigneeId),
    };
  }

  /**
   * Decides and records an action through the dossiers' writer, in the caller's transaction: the event,
   * the projection, the audit entry and the outbox. A changed version is a 409 naming the state and what
   * is allowed.
   */
  async function applyAction(
    trx: Transaction<DB>,
    actor: Actor,
    prepared: PreparedAction,
    action: DossierAction,
    input: ActionInput,
    expectedVersion: number | undefined,
    options: { signedResult?: boolean } = {},
  ) {
    const { staff } = actor;
    const { id, procedure, cal, assigneeRole } = prepared;
    const done = await writer.act(trx, {
      actor: staffWriter(actor),
      id,
      action,
      input,
      expectedVersion,
      notFound: () => new AppError('DOSSIER_NOT_FOUND', { id }),
      // Again under the lock: what a receiving commune may do depends on the state, which may have moved.
      check: ({ row }) => checkCompetence(staff, row, action),
      context: (now) => ({
        now,
        calendar: cal,
        procedure: procedure.definition,
        actor: { id: staff.id, role: staff.role },
        assigneeRole,
        signedResult: options.signedResult ?? false,
      }),
    });
    const row: DossierRow = {
      ...done.row,
      current: done.state,
      version: done.state.version,
    };
    return { row, before: done.before, state: done.state, event: done.event };
  }

  return {
    /** Citizens filing online with VNeID. */
    online: createOnlineIntake({
      db,
      catalog,
      calendar,
      units,
      writer,
      ruleVersion: RULE_VERSION,
    }),
    /** A citizen's own dossiers: list, view, supplement online, rate. */
    citizen: createCitizenDossiers({ db, catalog, calendar, now: deps.now, repo, writer, forgetPublic }),
    /** The dossiers' writer: other modules subscribe to its events (their outbox rows). */
    writer,

    async intake(actor: Actor, input: IntakeInput, idempotencyKey: string | undefined) {
      const { staff } = actor;
      if (!INTAKE_ROLES.has(staff.role) || staff.unitCode.length !== 5) {
        throw new AppError('ROLE_NOT_ALLOWED', { action: 'Tiếp nhận hồ sơ' });
      }
      if (staff.role === 'support_volunteer' && input.channel !== 'online') {
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          {
            'body.channel': 'Tình nguyện viên chỉ hỗ trợ nộp hồ sơ trực tuyến (online)',
          },
        );
      }
      if (staff.role === 'support_volunteer' && !input.assisted) {
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          { 'body.assisted': 'Cần ghi nhận công dân đồng ý cho tình nguyện viên nộp thay' },
        );
      }
      return runIdempotent(
        db,
        { scope: `staff:${staff.id}`, key: idempotencyKey, route: 'POST /api/dossiers', fingerprint: input },
        async () => {
          const unitCodes = await resolveUnits(units, staff, input);
          // The competent commune's province decides the variant (its fees, steps and duration).
          const procedure = await getPublishedForIntake(catalog, input.procedureCode, unitCodes.provinceCode);
          const def = procedure.definition;
          const { components, missing } = checkComponents(def, input.components, {
            allowMissing: input.outcome !== undefined,
          });
          const address = await resolveAddress(units, input.applicant);
          const cal = await calendar.getCalendar(unitCodes.receiving);
          const fees = feesOf(def, input.feesPaidVnd ?? 0);
          const { addressCommuneCode: _picked, ...person } = input.applicant;
          return {
            procedure,
            def,
            components,
            missing,
            unitCodes,
            cal,
            fees,
            applicant: { ...person, address },
          };
        },
        async (trx, { procedure, def, components, missing, unitCodes, cal, fees, applicant }) => {
          const decision = (now: Date) => ({
            now,
            calendar: cal,
            procedure: def,
            actor: { id: staff.id, role: staff.role },
          });
          const created = await writer.create(trx, {
            actor: staffWriter(actor),
            build: async (now) => {
              return {
                ...newDossier({
                  code: codeOfTheDay(unitCodes.receiving, now),
                  channel: input.channel,
                  procedure,
                  units: unitCodes,
                  applicant,
                  components,
                  fees,
                  note: input.note ?? null,
                  ruleVersion: RULE_VERSION,
                  createdBy: staff.id,
                  assisted: input.assisted
                    ? {
                        byId: staff.id,
                        byName: staff.fullName,
                        role: staff.role,
                        unitCode: staff.unitCode,
                        consent: true,
                        at: now.toISOString(),
                        note: input.assisted.note ?? null,
                      }
                    : null,
                }),
                ctx: decision(now),
              };
            },
          });
          const { id } = created;
          const code = created.row.code;
          let state = created.state;
          if (input.outcome) {
            // The counter's verdict on an incomplete or unacceptable dossier, in the same transaction.
            const { action, reasons } = input.outcome;
            const done = await writer.act(trx, {
              actor: staffWriter(actor),
              id,
              action,
              input: action === 'refuse' ? { reasons } : { reasons, missingComponents: missing },
              notFound: () => new AppError('DOSSIER_NOT_FOUND', { id }),
              context: decision,
            });
            state = done.state;
          }
          return {
            status: 201,
            body: {
              id,
              code,
              status: state.state,
              statusCode: state.statusCode,
              dueAt: state.dueAt,
              version: state.version,
            },
          };
        },
      );
    },

    async act(
      actor: Actor,
      id: number,
      action: DossierAction,
      body: ActionInput & { version?: number | undefined },
      idempotencyKey: string | undefined,
    ) {
      const { staff } = actor;
      const { version: expectedVersion, ...input } = body;
      const result = await runIdempotent(
        db,
        {
          scope: `staff:${staff.id}`,
          key: idempotencyKey,
          route: `POST /api/dossiers/${id}/actions/${action}`,
          fingerprint: body,
        },
        () => prepareAction(staff, id, action, input as ActionInput),
        async (trx, prepared) => {
          const { row } = await applyAction(
            trx,
            actor,
            prepared,
            action,
            input as ActionInput,
            expectedVersion,
          );
          return { status: 200, body: await view(row, staff) };
        },
      );
      if (!result.replayed) forgetPublic(result.body.code);
      return result;
    },

    /**
     * For another module's write that moves the dossier too (signing a result makes it ready): the
     * reads before the transaction, then the action inside the caller's transaction. The caller calls
     * `forgetPublic(code)` after its commit.
     */
    prepareAction,
    applyAction,
    forgetPublic,

    /** The dossier's id and code if the officer may read it; another commune's is not found (404). */
    async assertReadable(staff: StaffPrincipal, id: number) {
      const row = await getReadable(staff, id);
      return { id: row.id, code: row.code };
    },

    /** Dossiers with the clock running promised for a Vietnam day (the reminders the day before). */
    async listDueOn(day: string) {
      const rows = await repo.listDueOn(db, day);
      return rows.map((r) => ({
        id: Number(r.id),
        code: r.code,
        procedureVersionId: r.procedure_version_id,
        dueAt: formatVnIso(new Date(r.due_at as Date)),
        version: r.version,
        receivingUnitCode: r.receiving_unit_code,
        applicant: r.applicant as { phone?: string; email?: string; notify?: boolean },
      }));
    },

    /** The names a message to the applicant says: the procedure version's, the receiving centre's. */
    async namesOf(procedureVersionId: number, unitCode: string) {
      const [procedure, unit] = await Promise.all([
        catalog.getVersion(procedureVersionId),
        units.getUnitRecord(unitCode),
      ]);
      return { procedure: procedure.definition.name, centre: `Bộ phận Một cửa ${unit.name}` };
    },

    /** A dossier in full for staff who may see it; reading the citizen's data is audited. */
    async get(actor: Actor, id: number) {
      const row = await getReadable(actor.staff, id);
      await auditRead(actor, row, 'dossier.read');
      return view(row, actor.staff);
    },

    /** Work lists and search; a search by citizen ID or name reads personal data and is audited. */
    async list(actor: Actor, query: DossierListQuery) {
      const result = await listDossiers(
        db,
        calendar,
        (id) => catalog.getVersion(id).then((v) => v.definition.name),
        actor.staff,
        query,
        deps.now(),
      );
      if (query.q) {
        await recordAudit(db, {
          actorId: actor.staff.id,
          action: 'dossier.search',
          entity: 'dossier',
          entityId: 'search',
          unitCode: actor.staff.unitCode,
          details: { q: query.q, view: query.view, results: result.total },
          at: deps.now(),
          ...actor,
        });
      }
      return result;
    },

    /**
     * What the documents module needs of a dossier the caller may see: its code, applicant's ID, units
     * and its procedure's components; `canAct` says whether the caller may change it.
     */
    async getDocumentContext(staff: StaffPrincipal, id: number) {
      const row = await getReadable(staff, id);
      const procedure = await catalog.getVersion(row.procedure_version_id);
      return {
        id: row.id,
        code: row.code,
        citizenId: String(row.applicant.citizenId),
        receivingUnitCode: row.receiving_unit_code,
        components: procedure.definition.components,
        canAct: canActOnDossier(staff, scopeOf(row)),
        closed: isTerminal(row.current),
      };
    },

    /**
     * A dossier with its events and procedure version, for the documents built from it (forms,
     * results); they carry the applicant's data, so the read is audited under `action`.
     */
    async getRecord(actor: Actor, id: number, action: string, details: Record<string, unknown> = {}) {
      const row = await getReadable(actor.staff, id);
      const [events, procedure] = await Promise.all([
        repo.listEvents(db, id),
        catalog.getVersion(row.procedure_version_id),
      ]);
      await auditRead(actor, row, action, details);
      return { row, state: row.current, events, procedure };
    },

    /** The event list carries the applicant as taken in (ID, phone, address): reading it is audited. */
    async listEvents(actor: Actor, id: number) {
      const row = await getReadable(actor.staff, id);
      await auditRead(actor, row, 'dossier.events.read');
      return repo.listEvents(db, id);
    },

    /**
     * What the masked public view is made of, by code. Served from a short-lived cache (QR scans and
     * refreshes come in bursts): this process drops a code the moment it commits a change to it, and a
     * read that raced that change is not kept; a change committed by another process shows within
     * PUBLIC_VIEW_TTL_MS.
     */
    async findPublic(code: string) {
      const cached = publicViews?.get(code);
      if (cached) return cached;
      const generation = publicGeneration;
      const row = await repo.findPublicByCode(db, code);
      if (!row) return null;
      const procedure = await catalog.getVersion(row.procedure_version_id);
      const found = { row, state: row.current, procedure: procedure.definition };
      if (generation === publicGeneration) publicViews?.set(code, found);
      return found;
    },
  };
}

export type DossiersService = ReturnType<typeof createDossiersService>;

/** How long another process's change may take to show on the public tracking page. */
export const PUBLIC_VIEW_TTL_MS = 2_000;

type PublicFound = {
  row: NonNullable<Awaited<ReturnType<ReturnType<typeof createDossiersRepository>['findPublicByCode']>>>;
  state: DossierState;
  procedure: Awaited<ReturnType<CatalogService['getVersion']>>['definition'];
};
