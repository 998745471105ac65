import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatVnIso } from '../../core/calendar/vn-time.ts';
import { AppError } from '../../core/errors.ts';
import { actionBuilder, type CaseEvent, defineCaseType, tableOf } from '../../core/kernel/case-type.ts';
import type { DB } from '../db/schema.ts';
import { defineJob } from '../jobs/job-definition.ts';
import { openTestDatabase, type TestDatabase } from '../test-support/test-database.ts';
import { type CaseStore, createCaseWriter, type WriterActor } from './case-writer.ts';
import { runIdempotent } from './idempotency.ts';

/**
 * A second case type, small on purpose: a ticket raised by a commune, answered by the province, closed by
 * whoever raised it. It has its own tables and goes through the same kernel the dossiers use, without a
 * line copied from them: that is what the difficulty tracker and the other case types will do.
 */
type TicketRole = 'commune' | 'province';
type Ticket = {
  state: 'open' | 'answered' | 'closed';
  version: number;
  forms: string[];
  question: string;
  answers: string[];
  raisedAt: string;
  closedAt: string | null;
};
const TicketSchema = z.object({
  state: z.enum(['open', 'answered', 'closed']),
  version: z.number().int().positive(),
  forms: z.array(z.string()),
  question: z.string(),
  answers: z.array(z.string()),
  raisedAt: z.string(),
  closedAt: z.string().nullable(),
});
type Rules = { maxAnswers: number };
type Ctx = Rules & { now: Date; actor: { id: number; role: TicketRole } };

const action = actionBuilder<Ticket, Rules, Ctx, TicketRole, 'answer-sheet'>();
const TICKET_ACTIONS = {
  answer: action({
    name: 'Trả lời',
    from: ['open'],
    roles: ['province'],
    input: z.object({ text: z.string().trim().min(3, { error: 'Câu trả lời quá ngắn' }) }),
    guard: (s, rules) => (s.answers.length >= rules.maxAnswers ? 'đã trả lời đủ số lần' : null),
    decide: (_s, input, ctx) => ({ ...input, answeredOn: formatVnIso(ctx.now).slice(0, 10) }),
    fold: (s, e) => ({ ...s, state: 'answered', answers: [...s.answers, e.data.text] }),
    forms: ['answer-sheet'],
    dialog: [{ name: 'text', kind: 'text', label: 'ticket.answer' }],
  }),
  reopen: action({
    name: 'Mở lại',
    from: ['answered'],
    roles: ['commune'],
    input: z.object({ why: z.string().min(3) }),
    guard: null,
    decide: (_s, input) => input,
    fold: (s) => ({ ...s, state: 'open' }),
    forms: [],
    dialog: [{ name: 'why', kind: 'reason', label: 'ticket.why' }],
  }),
  close: action({
    name: 'Đóng',
    from: ['answered'],
    roles: ['commune'],
    input: z.object({}),
    guard: null,
    decide: () => ({}),
    fold: (s, e) => ({ ...s, state: 'closed', closedAt: e.at }),
    forms: [],
    dialog: [],
  }),
};

const TICKET = defineCaseType<
  Ticket,
  Rules,
  Ctx,
  TicketRole,
  'answer-sheet',
  typeof TICKET_ACTIONS,
  { question: string },
  { question: string },
  'raise'
>({
  kind: 'ticket',
  snapshotVersion: 1,
  createType: 'raise',
  stateNames: { open: 'Đang mở', answered: 'Đã trả lời', closed: 'Đã đóng' },
  stateSchema: TicketSchema,
  actions: TICKET_ACTIONS,
  roleOf: (ctx) => ctx.actor.role,
  actorOf: (ctx) => ctx.actor,
  nowOf: (ctx) => formatVnIso(ctx.now),
  create: {
    decide: (input) => input,
    fold: (e: CaseEvent<'raise', { question: string }>) => ({
      state: 'open',
      version: 1,
      forms: [],
      question: e.data.question,
      answers: [],
      raisedAt: e.at,
      closedAt: null,
    }),
  },
});
type TicketEvent = typeof TICKET.$event;

// The derived tables come from the definitions, and the event union narrows each action's data.
const NAMES = tableOf(TICKET_ACTIONS, (d) => d.name);
function answeredOn(e: TicketEvent) {
  return e.type === 'answer' ? e.data.answeredOn : null;
}

// An action that forgets a part does not compile (checked by `npm run typecheck`).
// @ts-expect-error — `fold` is missing
action({
  name: 'Thiếu phần gộp',
  from: ['open'],
  roles: ['province'],
  input: z.object({}),
  guard: null,
  decide: () => ({}),
  forms: [],
  dialog: [],
});
action({
  name: 'Trường lạ',
  from: ['open'],
  roles: ['province'],
  input: z.object({ text: z.string() }),
  guard: null,
  decide: () => ({}),
  fold: (s) => s,
  forms: [],
  // @ts-expect-error — a dialog field that is not in the input schema
  dialog: [{ name: 'nope', kind: 'text', label: 'x' }],
});

type TicketRow = { id: number; unit_code: string; snapshot: unknown };

/** The ticket's own tables, behind the kernel's store interface. */
const store: CaseStore<Ticket, TicketEvent, TicketRow, { unitCode: string }> = {
  async lock(trx, id) {
    const { rows } = await sql<TicketRow>`
      select id, unit_code, snapshot from test_ticket where id = ${id} for update`.execute(trx);
    const row = rows[0];
    if (!row) return undefined;
    const state = TICKET.readSnapshot(row.snapshot) ?? TICKET.fold(await eventsOf(trx, id));
    return { row, state };
  },
  async insert(trx, state, event, row) {
    const { rows } = await sql<{ id: number }>`
      insert into test_ticket (unit_code, state, snapshot)
      values (${row.unitCode}, ${state.state}, ${JSON.stringify(TICKET.toSnapshot(state))}::jsonb)
      returning id`.execute(trx);
    const id = Number(rows[0]?.id);
    await this.append(trx, id, 1, event);
    return { id, row: { id, unit_code: row.unitCode, snapshot: TICKET.toSnapshot(state) } };
  },
  async append(trx, id, seq, event) {
    await sql`insert into test_ticket_event (ticket_id, seq, type, at, data)
      values (${id}, ${seq}, ${event.type}, ${event.at}::timestamptz, ${JSON.stringify({ actor: event.actor, data: event.data })}::jsonb)`.execute(
      trx,
    );
  },
  async save(trx, id, state) {
    await sql`update test_ticket set state = ${state.state}, snapshot = ${JSON.stringify(TICKET.toSnapshot(state))}::jsonb
      where id = ${id}`.execute(trx);
  },
  unitOf: (row) => row.unit_code,
  label: (row) => ({ ticket: row.id }),
  summary: (s) => ({ state: s.state, version: s.version }),
};

async function eventsOf(trx: Transaction<DB> | TestDatabase['db'], id: number): Promise<TicketEvent[]> {
  const { rows } = await sql<{ type: string; at: Date; data: { actor: never; data: never } }>`
    select type, at, data from test_ticket_event where ticket_id = ${id} order by seq`.execute(trx);
  return rows.map(
    (r) =>
      ({
        type: r.type,
        at: formatVnIso(new Date(r.at)),
        actor: r.data.actor,
        data: r.data.data,
      }) as TicketEvent,
  );
}

const answerMail = defineJob({
  kind: 'test.ticket-answered',
  payload: z.object({ ticket: z.number(), answer: z.string() }),
  run: async () => {},
});

let database: TestDatabase;
const T0 = new Date('2026-12-03T03:00:00Z');
let at = T0.getTime();
const now = () => new Date(at);
const writer = createCaseWriter({
  caseType: TICKET,
  store,
  now,
  subscribers: [
    async (n) => {
      if (n.event.type === 'answer') {
        await n.enqueue(
          answerMail,
          { ticket: n.id, answer: n.event.data.text },
          { dedupeKey: `answer:${n.id}:${n.after.version}` },
        );
      }
    },
  ],
});
const commune: WriterActor = { kind: 'staff', id: 11, requestId: 'r1', ip: null, userAgent: null };
const province: WriterActor = { kind: 'staff', id: 12, requestId: 'r2', ip: null, userAgent: null };
const ctxOf = (role: TicketRole, id: number) => (n: Date) => ({ now: n, actor: { id, role }, maxAnswers: 2 });
const notFound = () => new AppError('ROUTE_NOT_FOUND');

beforeAll(async () => {
  database = await openTestDatabase({ seed: false });
  // The officers the audit entries name.
  for (const [id, username, role, unit] of [
    [11, 'ticket.commune', 'reception_officer', '30280'],
    [12, 'ticket.province', 'province_admin', '91'],
  ] as const) {
    await database.db
      .insertInto('staff_account')
      .values({ id, username, password_hash: '-', full_name: username, role, unit_code: unit })
      .execute();
  }
  await sql`create table test_ticket (id serial primary key, unit_code text not null, state text not null, snapshot jsonb not null)`.execute(
    database.db,
  );
  await sql`create table test_ticket_event (ticket_id int not null references test_ticket(id), seq int not null,
    type text not null, at timestamptz not null, data jsonb not null, primary key (ticket_id, seq))`.execute(
    database.db,
  );
});
afterAll(async () => {
  await database?.close();
});

async function raise(question: string) {
  return database.db.transaction().execute((trx) =>
    writer.create(trx, {
      actor: commune,
      build: async (n) => ({ input: { question }, ctx: ctxOf('commune', 11)(n), row: { unitCode: '30280' } }),
    }),
  );
}

const audit = (entityId: number) =>
  database.db
    .selectFrom('audit_log')
    .select(['action', 'entity', 'unit_code', 'details'])
    .where('entity', '=', 'ticket')
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute();
const jobs = () =>
  database.db
    .selectFrom('job')
    .select(['kind', 'payload', 'dedupe_key'])
    .where('kind', '=', answerMail.kind)
    .orderBy('id')
    .execute();

describe('the case kernel serves a second case type without copying', () => {
  it('creates, acts, folds, audits with before and after, and writes the outbox row in the same transaction', async () => {
    const { id, state } = await raise('Phần mềm hộ tịch không cho ký số?');
    expect(state).toMatchObject({ state: 'open', version: 1, forms: [] });

    at += 3_600_000;
    const done = await database.db.transaction().execute((trx) =>
      writer.act(trx, {
        actor: province,
        id,
        action: 'answer',
        input: { text: 'Cấp chứng thư số cho công chức' },
        expectedVersion: 1,
        context: ctxOf('province', 12),
        notFound,
      }),
    );
    expect(done.state).toMatchObject({ state: 'answered', version: 2, forms: ['answer-sheet'] });
    expect(answeredOn(done.event)).toBe('2026-12-03');
    expect(NAMES).toEqual({ answer: 'Trả lời', reopen: 'Mở lại', close: 'Đóng' });

    // The event log folds to what was stored.
    expect(TICKET.fold(await eventsOf(database.db, id))).toEqual(done.state);
    const rows = await audit(id);
    expect(rows.map((r) => r.action)).toEqual(['ticket.raise', 'ticket.answer']);
    expect(rows[1]?.details).toMatchObject({
      ticket: id,
      before: { state: 'open', version: 1 },
      after: { state: 'answered', version: 2 },
      input: { text: 'Cấp chứng thư số cho công chức', answeredOn: '2026-12-03' },
    });
    expect(rows[1]?.unit_code).toBe('30280');
    expect(await jobs()).toEqual([
      {
        kind: answerMail.kind,
        payload: { ticket: id, answer: 'Cấp chứng thư số cho công chức' },
        dedupe_key: `answer:${id}:2`,
      },
    ]);
  });

  it('refuses by state, guard, role and version with the refusal the dossiers give, and writes nothing', async () => {
    const { id } = await raise('Đường truyền không ổn định');
    const act = (
      actor: WriterActor,
      role: TicketRole,
      action: string,
      input: unknown,
      expectedVersion?: number,
    ) =>
      database.db.transaction().execute((trx) =>
        writer.act(trx, {
          actor,
          id,
          action,
          input,
          expectedVersion,
          context: ctxOf(role, actor.id),
          notFound,
        }),
      );
    await expect(act(commune, 'commune', 'close', {})).rejects.toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      details: { state: 'open', allowedActions: [] },
    });
    await expect(act(commune, 'commune', 'answer', { text: 'tự trả lời' })).rejects.toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
      details: { allowedRoles: ['province'] },
    });
    await expect(act(province, 'province', 'answer', { text: 'Có' }, 7)).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
      params: { current: 1, stateName: 'Đang mở', allowed: 'Trả lời' },
    });
    await act(province, 'province', 'answer', { text: 'Lần một' });
    await act(commune, 'commune', 'reopen', { why: 'Chưa rõ' });
    await act(province, 'province', 'answer', { text: 'Lần hai' });
    await act(commune, 'commune', 'reopen', { why: 'Vẫn chưa rõ' });
    await expect(act(province, 'province', 'answer', { text: 'Lần ba' })).rejects.toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      details: { reason: 'đã trả lời đủ số lần' },
    });
    expect((await eventsOf(database.db, id)).map((e) => e.type)).toEqual([
      'raise',
      'answer',
      'reopen',
      'answer',
      'reopen',
    ]);
  });

  it('rolls the event, the projection, the audit entry and the outbox back together when the write fails', async () => {
    const { id } = await raise('Tài sản dôi dư sau sáp nhập');
    const before = {
      events: (await eventsOf(database.db, id)).length,
      audit: (await audit(id)).length,
      jobs: (await jobs()).length,
    };
    await expect(
      database.db.transaction().execute(async (trx) => {
        await writer.act(trx, {
          actor: province,
          id,
          action: 'answer',
          input: { text: 'Theo hướng dẫn' },
          context: ctxOf('province', 12),
          notFound,
        });
        throw new Error('the caller failed after the action');
      }),
    ).rejects.toThrow('the caller failed');
    expect({
      events: (await eventsOf(database.db, id)).length,
      audit: (await audit(id)).length,
      jobs: (await jobs()).length,
    }).toEqual(before);
    const { rows } = await sql<{ state: string }>`select state from test_ticket where id = ${id}`.execute(
      database.db,
    );
    expect(rows[0]?.state).toBe('open');
  });

  it('answers a retried request once, with the idempotency helper around the write', async () => {
    const { id } = await raise('Thôn chưa đổi tên');
    const answer = () =>
      runIdempotent(
        database.db,
        {
          scope: 'staff:12',
          key: 'key-ticket-1',
          route: `POST /tickets/${id}/answer`,
          fingerprint: { text: 'Đổi tên theo nghị quyết' },
        },
        async () => ({}),
        async (trx) => {
          const done = await writer.act(trx, {
            actor: province,
            id,
            action: 'answer',
            input: { text: 'Đổi tên theo nghị quyết' },
            context: ctxOf('province', 12),
            notFound,
          });
          return { status: 200, body: { version: done.state.version } };
        },
      );
    const [first, second] = [await answer(), await answer()];
    expect(first.body).toEqual({ version: 2 });
    expect(second).toMatchObject({ replayed: true, body: { version: 2 } });
    expect((await eventsOf(database.db, id)).map((e) => e.type)).toEqual(['raise', 'answer']);
  });

  it('rebuilds a snapshot of another version, or one that does not validate, from the events', async () => {
    const { id } = await raise('Dữ liệu dân cư cập nhật chậm');
    await database.db.transaction().execute((trx) =>
      writer.act(trx, {
        actor: province,
        id,
        action: 'answer',
        input: { text: 'Đã báo Công an tỉnh' },
        context: ctxOf('province', 12),
        notFound,
      }),
    );
    const folded = TICKET.fold(await eventsOf(database.db, id));
    for (const stored of [
      { ...folded, snapshotVersion: 0 },
      { ...folded, snapshotVersion: 1, state: 'lost' },
      { state: 'answered' },
    ]) {
      await sql`update test_ticket set snapshot = ${JSON.stringify(stored)}::jsonb where id = ${id}`.execute(
        database.db,
      );
      expect(TICKET.readSnapshot(stored)).toBeNull();
      const locked = await database.db.transaction().execute((trx) => store.lock(trx, id));
      expect(locked?.state).toEqual(folded);
    }
    expect(TICKET.readSnapshot(TICKET.toSnapshot(folded))).toEqual(folded);
  });
});
