import type { Transaction } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { BaseCaseState, CaseActor } from '../../core/kernel/case-type.ts';
import type { DB } from '../db/schema.ts';
import type { JobDefinition } from '../jobs/job-definition.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { type AuditEntry, recordAudit } from '../modules/audit/audit.service.ts';

/**
 * The one write path of every case type: whoever moves a case (an officer's route, a citizen's, result
 * signing, the online intake; later offline replay and webhooks) goes through `act` or `create`, inside the
 * caller's transaction (the caller owns access checks before it and the idempotency key around it):
 * the row lock, the version check, the decision, the event, the projection, the audit entry with before and
 * after, and the outbox rows of every subscriber, all committed together or not at all.
 */

/** Who writes, and from where, as the audit log records it. */
export type WriterActor =
  | { kind: 'staff'; id: number; requestId: string; ip: string | null; userAgent: string | null }
  | { kind: 'citizen'; id: number; requestId: string; ip: string | null; userAgent: string | null };

/** The pure half a writer needs of a case type (src/core/kernel/case-type.ts). */
export type WritableCaseType<S extends BaseCaseState, Rules, Ctx extends Rules, Role extends string, E> = {
  kind: string;
  createType: string;
  decide(s: S, action: string, input: never, ctx: Ctx): E;
  decideCreate(input: never, ctx: Ctx): E;
  apply(prev: S | null, e: E): S;
  roleOf(ctx: Ctx): Role;
  describeForConflict(
    s: S,
    rules: Rules,
    role?: Role,
  ): { params: Record<string, string | number>; details: Record<string, unknown> };
};

/** Where a case type keeps its cases: its own tables, behind these few operations. */
export type CaseStore<S, E, Row, NewRow = Row> = {
  /** The case under its row lock with its checked state, or undefined. */
  lock(trx: Transaction<DB>, id: number): Promise<{ row: Row; state: S } | undefined>;
  /**
   * The case's first row and its first event; returns the row as `lock` would read it. Given `audit`,
   * the store may write the audit entry in the same statement (withAuditEntry, the new id as its entity)
   * and say so with `audited`; else the writer records it after.
   */
  insert(
    trx: Transaction<DB>,
    state: S,
    event: E,
    row: NewRow,
    audit?: (row: Row) => Omit<AuditEntry, 'entityId'>,
  ): Promise<{ id: number; row: Row; audited?: boolean }>;
  append(trx: Transaction<DB>, id: number, seq: number, event: E): Promise<void>;
  /** The projection after an event (the row is locked). */
  save(trx: Transaction<DB>, id: number, state: S, event: E): Promise<void>;
  /** The audit chain the case's entries go to (the unit it belongs to). */
  unitOf(row: Row): string;
  /** What identifies the case in the audit entry (its code), never personal data. */
  label(row: Row): Record<string, unknown>;
  /** The few fields of the state the audit entry keeps before and after. */
  summary(state: S): Record<string, unknown>;
};

/** What a subscriber is told of an event, inside its transaction. */
export type CaseEventNotice<S, E, Row> = {
  /** The event's transaction: a subscriber writes only its own module's rows in it. */
  trx: Transaction<DB>;
  kind: string;
  id: number;
  row: Row;
  event: E;
  before: S | null;
  after: S;
  now: Date;
  /** Adds an outbox row in the event's transaction (ignored when `dedupeKey` exists). */
  enqueue<P>(
    job: JobDefinition<P>,
    payload: P,
    options?: { runAt?: Date; dedupeKey?: string },
  ): Promise<void>;
};

/**
 * Reacts to a case's events by enqueueing jobs (a message to the citizen, a webhook): it runs inside the
 * event's transaction, so its jobs exist exactly when the event does. It must not call anything outside.
 */
export type CaseSubscriber<S, E, Row> = (notice: CaseEventNotice<S, E, Row>) => Promise<void>;

type AnyEvent = { type: string; at: string; actor: CaseActor; data: unknown };

export function createCaseWriter<
  S extends BaseCaseState,
  Rules,
  Ctx extends Rules,
  Role extends string,
  E extends AnyEvent,
  Row,
  NewRow = Row,
>(options: {
  caseType: WritableCaseType<S, Rules, Ctx, Role, E>;
  store: CaseStore<S, E, Row, NewRow>;
  now: () => Date;
  /** What the audit entry records of an event's data (default: all of it). */
  auditInput?: (event: E) => unknown;
  subscribers?: ReadonlyArray<CaseSubscriber<S, E, Row>>;
}) {
  const { caseType, store } = options;
  const subscribers = [...(options.subscribers ?? [])];

  /** The audit entry of an event: who, what, the case's label, the input, the states before and after. */
  function auditEntry(
    actor: WriterActor,
    row: Row,
    event: E,
    before: S | null,
    after: S,
    now: Date,
    extra: Record<string, unknown>,
  ): Omit<AuditEntry, 'entityId'> {
    return {
      actorId: actor.kind === 'staff' ? actor.id : null,
      action: `${caseType.kind}.${event.type}`,
      entity: caseType.kind,
      unitCode: store.unitOf(row),
      details: {
        ...store.label(row),
        ...(actor.kind === 'citizen' ? { citizen: actor.id } : {}),
        ...extra,
        ...(before ? { before: store.summary(before) } : {}),
        after: store.summary(after),
      },
      at: now,
      requestId: actor.requestId,
      ip: actor.ip,
      userAgent: actor.userAgent,
    };
  }

  async function notifySubscribers(
    trx: Transaction<DB>,
    id: number,
    row: Row,
    event: E,
    before: S | null,
    after: S,
    now: Date,
  ) {
    for (const subscriber of subscribers) {
      await subscriber({
        trx,
        kind: caseType.kind,
        id,
        row,
        event,
        before,
        after,
        now,
        enqueue: async (job, payload, opts = {}) => {
          await enqueueJob(trx, job, payload, { now, ...opts });
        },
      });
    }
  }

  return {
    /** Adds a subscriber (a module that reacts to this case type's events through the outbox). */
    subscribe(subscriber: CaseSubscriber<S, E, Row>) {
      subscribers.push(subscriber);
    },

    /**
     * Takes an action on a case in the caller's transaction. `context` builds the decision's context from
     * the locked row (the moment is the writer's clock); `check` runs again under the lock what may have
     * moved since the caller's checks. A changed version is a 409 naming the state and what is allowed.
     */
    async act(
      trx: Transaction<DB>,
      request: {
        actor: WriterActor;
        id: number;
        action: string;
        input: unknown;
        expectedVersion?: number | undefined;
        context: (now: Date, locked: { row: Row; state: S }) => Ctx;
        check?: (locked: { row: Row; state: S }) => Promise<void>;
        notFound: () => AppError;
        /** What the audit entry records besides the input and the states (no personal data). */
        audit?: Record<string, unknown>;
      },
    ) {
      const locked = await store.lock(trx, request.id);
      if (!locked) throw request.notFound();
      await request.check?.(locked);
      const now = options.now();
      const ctx = request.context(now, locked);
      const before = locked.state;
      if (request.expectedVersion !== undefined && request.expectedVersion !== before.version) {
        const { params, details } = caseType.describeForConflict(before, ctx, caseType.roleOf(ctx));
        throw new AppError('VERSION_CONFLICT', params, undefined, details);
      }
      const event = caseType.decide(before, request.action, request.input as never, ctx);
      const after = caseType.apply(before, event);
      await store.append(trx, request.id, after.version, event);
      await store.save(trx, request.id, after, event);
      const input = options.auditInput ? options.auditInput(event) : event.data;
      const entry = auditEntry(request.actor, locked.row, event, before, after, now, {
        ...request.audit,
        input,
      });
      await recordAudit(trx, { ...entry, entityId: request.id });
      await notifySubscribers(trx, request.id, locked.row, event, before, after, now);
      return { row: locked.row, before, state: after, event };
    },

    /**
     * Creates a case in the caller's transaction: its first event, its row, the audit entry, the outbox.
     * `build` is given the writer's moment (a code of the day is allocated with it).
     */
    async create(
      trx: Transaction<DB>,
      request: {
        actor: WriterActor;
        build: (now: Date) => Promise<{
          input: unknown;
          ctx: Ctx;
          /** The case's own columns besides the state (the store knows their shape). */
          row: NewRow;
          /** What the audit entry records besides the case's label (no personal data). */
          audit?: Record<string, unknown>;
        }>;
      },
    ) {
      const now = options.now();
      const built = await request.build(now);
      const event = caseType.decideCreate(built.input as never, built.ctx);
      const state = caseType.apply(null, event);
      const entryOf = (r: Row) => auditEntry(request.actor, r, event, null, state, now, built.audit ?? {});
      const { id, row, audited } = await store.insert(trx, state, event, built.row, entryOf);
      // Made again from the row as stored: the insert may have filled in what it allocated (a code).
      if (!audited) await recordAudit(trx, { ...entryOf(row), entityId: id });
      await notifySubscribers(trx, id, row, event, null, state, now);
      return { id, row, state, event };
    },
  };
}

export type CaseWriter<
  S extends BaseCaseState,
  Rules,
  Ctx extends Rules,
  Role extends string,
  E extends AnyEvent,
  Row,
  NewRow = Row,
> = ReturnType<typeof createCaseWriter<S, Rules, Ctx, Role, E, Row, NewRow>>;
