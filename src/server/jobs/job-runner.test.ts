import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openTestDatabase, type TestDatabase } from '../test-support/test-database.ts';
import { backoffMs, defineJob } from './job-definition.ts';
import { claimJobs, enqueueJob } from './job-queue.ts';
import { createJobRunner } from './job-runner.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase({ seed: false });
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.db.deleteFrom('job').execute();
});

const T0 = new Date('2026-12-03T03:30:00Z');
/** A clock the test moves. */
function clock(start = T0) {
  let at = start.getTime();
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
}
const jobRow = (id: number) =>
  database.db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('the outbox: jobs written with the write', () => {
  const note = defineJob({
    kind: 'test.note',
    payload: z.object({ text: z.string().min(1) }),
    run: async () => {},
  });

  it('exists exactly when the write committed, once per dedupe key, with a payload that fits its schema', async () => {
    await database.db
      .transaction()
      .execute(async (trx) => {
        await enqueueJob(trx, note, { text: 'rolled back' }, { now: T0 });
        throw new Error('the write failed');
      })
      .catch(() => undefined);
    expect(await database.db.selectFrom('job').select('id').execute()).toEqual([]);

    const first = await database.db
      .transaction()
      .execute((trx) => enqueueJob(trx, note, { text: 'kept' }, { now: T0, dedupeKey: 'note:1' }));
    const again = await enqueueJob(database.db, note, { text: 'kept' }, { now: T0, dedupeKey: 'note:1' });
    expect(first).toBeTypeOf('number');
    expect(again).toBeNull();
    const row = await jobRow(first as number);
    expect(row).toMatchObject({
      kind: 'test.note',
      payload: { text: 'kept' },
      state: 'pending',
      attempts: 0,
    });
    expect(row.max_attempts).toBe(8);

    await expect(enqueueJob(database.db, note, { text: '' }, { now: T0 })).rejects.toThrow('Too small');
  });
});

describe('the job runner', () => {
  it('runs a due job once with its parsed payload and id, and leaves a later one for later', async () => {
    const seen: { text: string; jobId: number; attempt: number }[] = [];
    const def = defineJob({
      kind: 'test.record',
      payload: z.object({ text: z.string() }),
      run: async (payload, ctx) => {
        seen.push({ text: payload.text, jobId: ctx.jobId, attempt: ctx.attempt });
      },
    });
    const c = clock();
    const now = await enqueueJob(database.db, def, { text: 'now' }, { now: c.now() });
    const later = await enqueueJob(
      database.db,
      def,
      { text: 'later' },
      {
        now: c.now(),
        runAt: new Date(T0.getTime() + 3_600_000),
      },
    );
    const runner = createJobRunner({ db: database.db, definitions: [def], now: c.now });
    expect(await runner.runOnce()).toBe(1);
    expect(await runner.runOnce()).toBe(0);
    expect(seen).toEqual([{ text: 'now', jobId: now, attempt: 1 }]);
    expect(await jobRow(now as number)).toMatchObject({ state: 'done', attempts: 1, locked_by: null });
    expect((await jobRow(now as number)).finished_at?.toISOString()).toBe(T0.toISOString());
    c.advance(3_600_000);
    expect(await runner.runOnce()).toBe(1);
    expect(seen.map((s) => s.text)).toEqual(['now', 'later']);
    expect((await jobRow(later as number)).state).toBe('done');
  });

  it('tries again with exponential backoff, then succeeds; or goes dead with the error once its tries are spent', async () => {
    let failures = 2;
    const flaky = defineJob({
      kind: 'test.flaky',
      payload: z.object({}),
      maxAttempts: 3,
      run: async () => {
        if (failures-- > 0) throw new Error('the provider answered 503');
      },
    });
    const c = clock();
    const id = (await enqueueJob(database.db, flaky, {}, { now: c.now() })) as number;
    // random() = 0: the whole backoff, 5 s then 10 s.
    const runner = createJobRunner({ db: database.db, definitions: [flaky], now: c.now, random: () => 0 });
    expect(await runner.runOnce()).toBe(1);
    let row = await jobRow(id);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_error: 'the provider answered 503' });
    expect(row.run_at.toISOString()).toBe(new Date(T0.getTime() + 5_000).toISOString());
    c.advance(4_999);
    expect(await runner.runOnce()).toBe(0);
    c.advance(1);
    expect(await runner.runOnce()).toBe(1);
    row = await jobRow(id);
    expect(row.run_at.toISOString()).toBe(new Date(T0.getTime() + 5_000 + 10_000).toISOString());
    c.advance(10_000);
    expect(await runner.runOnce()).toBe(1);
    expect(await jobRow(id)).toMatchObject({ state: 'done', attempts: 3, last_error: null });

    failures = 99;
    const dead = (await enqueueJob(database.db, flaky, {}, { now: c.now() })) as number;
    for (let i = 0; i < 3; i++) {
      expect(await runner.runOnce()).toBe(1);
      c.advance(3_600_000);
    }
    expect(await runner.runOnce()).toBe(0);
    expect(await jobRow(dead)).toMatchObject({
      state: 'dead',
      attempts: 3,
      last_error: 'the provider answered 503',
    });
  });

  it('spreads the backoff with jitter and caps it at an hour', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, () => 0))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(30, () => 0)).toBe(3_600_000);
    expect(backoffMs(1, () => 1)).toBe(2_500);
  });

  it('ends a try at its lease and counts it as failed; a payload that no longer fits is dead at once', async () => {
    const stuck = defineJob({
      kind: 'test.stuck',
      payload: z.object({ n: z.number() }),
      leaseMs: 50,
      run: () => new Promise<void>(() => {}),
    });
    const c = clock();
    const id = (await enqueueJob(database.db, stuck, { n: 1 }, { now: c.now() })) as number;
    const runner = createJobRunner({ db: database.db, definitions: [stuck], now: c.now });
    await runner.runOnce();
    expect(await jobRow(id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      last_error: 'timed out after 50 ms',
    });

    const bad = (await enqueueJob(database.db, stuck, { n: 2 }, { now: c.now() })) as number;
    await database.db
      .updateTable('job')
      .set({ payload: JSON.stringify({ n: 'two' }) })
      .where('id', '=', bad)
      .execute();
    c.advance(3_600_000);
    await runner.runOnce();
    const row = await jobRow(bad);
    expect(row.state).toBe('dead');
    expect(row.last_error).toMatch(/^payload: /);
  });

  it('takes a job back from a runner that died once its lease ends; the dead runner cannot finish it late', async () => {
    const ran: number[] = [];
    const def = defineJob({
      kind: 'test.lease',
      payload: z.object({}),
      leaseMs: 30_000,
      run: async (_p, ctx) => {
        ran.push(ctx.attempt);
      },
    });
    const c = clock();
    const id = (await enqueueJob(database.db, def, {}, { now: c.now() })) as number;
    // A runner claims it and dies before finishing (nothing of it runs any more).
    const [claimed] = await claimJobs(database.db, 'gone:1', new Map([['test.lease', 30_000]]), c.now(), 1);
    expect(claimed?.id).toBe(id);
    const runner = createJobRunner({ db: database.db, definitions: [def], now: c.now });
    c.advance(29_999);
    expect(await runner.runOnce()).toBe(0);
    c.advance(1);
    expect(await runner.runOnce()).toBe(1);
    expect(ran).toEqual([2]);
    expect(await jobRow(id)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('puts a job whose every try killed its process on the dead-letter list instead of trying it forever', async () => {
    const def = defineJob({
      kind: 'test.crash',
      payload: z.object({}),
      maxAttempts: 2,
      leaseMs: 1_000,
      run: async () => {},
    });
    const c = clock();
    const id = (await enqueueJob(database.db, def, {}, { now: c.now() })) as number;
    const leases = new Map([['test.crash', 1_000]]);
    // Two tries, each claimed by a process that dies before it can say how it went.
    expect(await claimJobs(database.db, 'died:1', leases, c.now(), 5)).toHaveLength(1);
    c.advance(1_000);
    expect(await claimJobs(database.db, 'died:2', leases, c.now(), 5)).toHaveLength(1);
    c.advance(1_000);
    // Out of tries, its lease over: not claimed a third time, but buried on the runner's first pass.
    const runner = createJobRunner({ db: database.db, definitions: [def], now: c.now });
    expect(await runner.runOnce()).toBe(0);
    const row = await jobRow(id);
    expect(row).toMatchObject({ state: 'dead', attempts: 2, locked_by: null });
    expect(row.last_error).toContain('the last try never finished');
  });

  it('keeps the phone numbers and e-mail addresses a provider repeats out of the error it keeps', async () => {
    const def = defineJob({
      kind: 'test.leaky',
      payload: z.object({}),
      maxAttempts: 1,
      run: async () => {
        throw new Error('rejected 84912345678 (an.nguyen@example.vn): not a Zalo user');
      },
    });
    const id = (await enqueueJob(database.db, def, {}, { now: T0 })) as number;
    await createJobRunner({ db: database.db, definitions: [def], now: () => T0 }).runOnce();
    expect((await jobRow(id)).last_error).toBe('rejected [số] ([e-mail]): not a Zalo user');
  });

  it('claims no more than it is asked for', async () => {
    const def = defineJob({ kind: 'test.limit', payload: z.object({}), run: async () => {} });
    for (let n = 0; n < 5; n++) await enqueueJob(database.db, def, {}, { now: T0 });
    const claimed = await claimJobs(database.db, 'one', new Map([['test.limit', 60_000]]), T0, 3);
    expect(claimed).toHaveLength(3);
    const held = await database.db.selectFrom('job').select('id').where('locked_by', '=', 'one').execute();
    expect(held).toHaveLength(3);
  });

  it('runs each job exactly once when two runners claim at the same time', async () => {
    const ranBy = new Map<number, string[]>();
    const def = defineJob({
      kind: 'test.parallel',
      payload: z.object({ n: z.number() }),
      run: async (_p, ctx) => {
        await new Promise((r) => setTimeout(r, 5));
        ranBy.set(ctx.jobId, [...(ranBy.get(ctx.jobId) ?? []), 'ran']);
      },
    });
    const c = clock();
    for (let n = 0; n < 30; n++) await enqueueJob(database.db, def, { n }, { now: c.now() });
    const a = createJobRunner({ db: database.db, definitions: [def], now: c.now, concurrency: 4 });
    const b = createJobRunner({ db: database.db, definitions: [def], now: c.now, concurrency: 4 });
    let total = 0;
    for (let round = 0; round < 20 && total < 30; round++) {
      const [x, y] = await Promise.all([a.runOnce(), b.runOnce()]);
      total += x + y;
    }
    expect(total).toBe(30);
    expect(ranBy.size).toBe(30);
    expect([...ranBy.values()].every((r) => r.length === 1)).toBe(true);
    const states = await sql<{ state: string; n: number }>`
      select state, count(*)::int as n from job group by state`.execute(database.db);
    expect(states.rows).toEqual([{ state: 'done', n: 30 }]);
  });

  it('enqueues a recurring job once per period, whichever runner looks first', async () => {
    const slots: string[] = [];
    const hourly = defineJob({
      kind: 'test.hourly',
      payload: z.object({ what: z.string() }),
      every: { ms: 3_600_000, payload: { what: 'reports' } },
      run: async (_p, ctx) => {
        const row = await ctx.db
          .selectFrom('job')
          .select('run_at')
          .where('id', '=', ctx.jobId)
          .executeTakeFirstOrThrow();
        slots.push(row.run_at.toISOString());
      },
    });
    const c = clock();
    const a = createJobRunner({ db: database.db, definitions: [hourly], now: c.now });
    const b = createJobRunner({ db: database.db, definitions: [hourly], now: c.now });
    expect(await a.runOnce()).toBe(1);
    c.advance(15 * 60_000);
    expect(await b.runOnce()).toBe(0);
    c.advance(16 * 60_000);
    expect(await a.runOnce()).toBe(1);
    expect(slots).toEqual(['2026-12-03T03:00:00.000Z', '2026-12-03T04:00:00.000Z']);
  });

  it('as a loop: runs what is enqueued after a wake(), and stop() waits for the try under way', async () => {
    const done: string[] = [];
    const def = defineJob({
      kind: 'test.loop',
      payload: z.object({ text: z.string() }),
      run: async (p) => {
        await new Promise((r) => setTimeout(r, 50));
        done.push(p.text);
      },
    });
    // A long poll: only wake() can make it run the job soon.
    const runner = createJobRunner({ db: database.db, definitions: [def], pollMs: 60_000 });
    runner.start();
    await new Promise((r) => setTimeout(r, 100));
    await enqueueJob(database.db, def, { text: 'woken' }, { now: new Date() });
    runner.wake();
    for (let i = 0; i < 100 && done.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(done).toEqual(['woken']);
    await enqueueJob(database.db, def, { text: 'last' }, { now: new Date() });
    runner.wake();
    await new Promise((r) => setTimeout(r, 20));
    await runner.stop();
    expect(done).toEqual(['woken', 'last']);
  });
});
