import { type Kysely, sql, type Transaction } from 'kysely';
import { toLocalDate } from '../../../core/calendar/vn-time.ts';
import type { WorkCalendar } from '../../../core/calendar/work-calendar.ts';
import { feesOf } from '../../../core/catalog/fees.ts';
import type { ProcedureDefinition } from '../../../core/catalog/procedure.schemas.ts';
import type { DossierAction } from '../../../core/dossiers/dossier-actions.ts';
import { applyDossierEvent, decideAction, decideIntake } from '../../../core/dossiers/dossier-machine.ts';
import type { DossierEvent, DossierState } from '../../../core/dossiers/dossier-state.ts';
import type { Channel } from '../../../core/dossiers/dossier-status.ts';
import type { StaffRole } from '../../../core/identity/roles.ts';
import { foldVietnamese } from '../../../core/units/unit-names.ts';
import { createCalendarService } from '../../modules/calendar/calendar.service.ts';
import type { FileStore } from '../../modules/documents/file-store.ts';
import { dossierProjection } from '../../modules/dossiers/dossiers.repository.ts';
import { createUnitsRepository } from '../../modules/units/units.repository.ts';
import { createUnitsService } from '../../modules/units/units.service.ts';
import type { DB } from '../schema.ts';

/** One commune's history: dossiers received per working day, the online share, and exact windows. */
export type CommuneHistory = {
  code: string;
  province: string;
  perDay: number;
  onlineShare: number;
  /** Exactly `total` dossiers received between `from` and `to`, `online` of them online (field reports). */
  windows?: { from: string; to: string; total: number; online: number }[];
};

export type HistoryPlan = { from: string; to: string; seed: number; communes: CommuneHistory[] };

/**
 * The demo's history: from the first day of the two-level government to two and a half weeks ago (the
 * demo's stories fill the last days). Thới Sơn and Mỹ Hiệp reproduce the field reports: 660 dossiers from
 * 1 to 18 July 2025, over 83 % online; 311 from 1 July, 283 online (taken over the same 18 days).
 */
export function demoHistoryPlan(now: Date): HistoryPlan {
  return {
    from: '2025-07-01',
    to: toLocalDate(new Date(now.getTime() - 17 * 86_400_000)),
    seed: 766,
    communes: [
      {
        code: '30502',
        province: '91',
        perDay: 8,
        onlineShare: 0.8,
        windows: [{ from: '2025-07-01', to: '2025-07-18', total: 660, online: 551 }],
      },
      {
        code: '30112',
        province: '82',
        perDay: 5,
        onlineShare: 0.85,
        windows: [{ from: '2025-07-01', to: '2025-07-18', total: 311, online: 283 }],
      },
      { code: '01279', province: '04', perDay: 4, onlineShare: 0.45 },
      { code: '01288', province: '04', perDay: 3, onlineShare: 0.5 },
      { code: '23095', province: '68', perDay: 3, onlineShare: 0.35 },
    ],
  };
}

/** A small, fast, seedable generator (mulberry32): the same seed gives the same history. */
export function randomFrom(...seeds: (number | string)[]) {
  let h = 2166136261;
  for (const s of seeds.join('|')) h = Math.imul(h ^ s.charCodeAt(0), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `total` split over `n` days at random but summing exactly (each day at least the floor share − 40 %). */
export function splitExactly(total: number, n: number, random: () => number): number[] {
  const weights = Array.from({ length: n }, () => 0.6 + random() * 0.8);
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w / sum) * total));
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % n, left--) counts[i] = (counts[i] ?? 0) + 1;
  return counts;
}

/** Which procedures a commune sees most: civil status and certification far ahead. */
const FIELD_WEIGHTS: Record<string, number> = {
  civil_status: 40,
  certification: 25,
  residence: 15,
  business_household: 8,
  social_protection: 6,
  land: 4,
  environment: 1,
};

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Huỳnh',
  'Hoàng',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
];
const GIVEN = [
  'An',
  'Bình',
  'Châu',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hương',
  'Khoa',
  'Lan',
  'Long',
  'Mai',
  'Nam',
];
const BIRTH_PROVINCE: Record<string, string> = { '91': '089', '82': '087', '04': '004', '68': '060' };

type Staff = (role: StaffRole) => number;
type Built = {
  row: Record<string, unknown>;
  events: DossierEvent[];
  rating: { rating: string; at: string } | null;
  digitized: boolean;
  reused: boolean;
};

/** One dossier's life, decided by the real machine on a moving clock, up to `until`. */
function liveOne(
  p: ProcedureDefinition & { versionId: number; version: number },
  channel: Channel,
  submittedAt: Date,
  until: Date,
  cal: WorkCalendar,
  staff: Staff,
  random: () => number,
  code: string,
  commune: CommuneHistory,
  n: number,
): Built | null {
  const events: DossierEvent[] = [];
  let state: DossierState | null = null;
  let now = submittedAt;
  const ctx = (role: StaffRole, assigneeRole?: StaffRole) => ({
    now,
    calendar: cal,
    procedure: p,
    actor: { id: staff(role), role },
    assigneeRole,
  });
  const female = n % 2 === 1;
  const year = 1950 + Math.floor(random() * 55);
  const applicant = {
    citizenId: `${BIRTH_PROVINCE[commune.province] ?? '001'}${(year >= 2000 ? 2 : 0) + (female ? 1 : 0)}${String(year % 100).padStart(2, '0')}${String(Math.floor(random() * 1_000_000)).padStart(6, '0')}`,
    fullName: `${FAMILY[Math.floor(random() * FAMILY.length)]} ${female ? 'Thị' : 'Văn'} ${GIVEN[Math.floor(random() * GIVEN.length)]}`,
    phone: `09${String(Math.floor(random() * 100_000_000)).padStart(8, '0')}`,
    address: `Số ${1 + Math.floor(random() * 200)}, tổ dân phố ${1 + Math.floor(random() * 9)}`,
  };
  const components = p.components.map((c) => ({
    key: c.key,
    name: c.name,
    requirement: c.requirement,
    originals: c.originals,
    copies: c.copies,
    handedIn: c.requirement === 'required',
  }));
  const fees = { ...feesOf(p, 0), paidOnline: channel === 'online' && random() < 0.45 };
  const apply = (e: DossierEvent) => {
    events.push(e);
    state = applyDossierEvent(state, e);
  };
  const step = (role: StaffRole, action: DossierAction, input: object, at: Date, assignee?: StaffRole) => {
    if (at > until || !state) return false;
    now = at;
    apply(decideAction(state, action, input as never, ctx(role, assignee)));
    return true;
  };
  apply(
    decideIntake(ctx('reception_officer'), {
      channel,
      details: {
        code,
        procedure: { code: p.code, versionId: p.versionId, version: p.version },
        applicant,
        components,
        fees,
        units: {
          support: commune.code,
          receiving: commune.code,
          competent: commune.code,
          provinceCode: commune.province,
        },
        note: null,
      },
    }),
  );
  const later = (from: Date, hours: number) => cal.addWorkingHours(from, hours);
  let t = now;
  if (channel === 'online') {
    t = later(t, 0.2 + random() * 1.3);
    if (!step('reception_officer', 'receive', {}, t)) return build();
  }
  const s0 = state as unknown as DossierState;
  const start = new Date(s0.clockStartAt ?? t);
  const due = new Date(s0.statutoryDueAt ?? t);
  const budget = Math.max(1, cal.workingHoursBetween(start, due));
  if (random() < 0.015) {
    step('reception_officer', 'withdraw', { reason: 'Công dân xin rút hồ sơ' }, later(t, 1));
    return build();
  }
  t = later(t, Math.min(1, budget * 0.05));
  const first = p.steps[0]?.role ?? 'specialist';
  if (!step('reception_officer', 'assign', { assigneeId: staff(first) }, t, first)) return build();
  if (random() < 0.06) {
    t = later(t, Math.min(2, budget * 0.1));
    if (!step('specialist', 'request-supplement', { reasons: ['Bổ sung bản sao giấy tờ còn thiếu'] }, t))
      return build();
    t = cal.addWorkingDays(t, 1 + Math.floor(random() * 3));
    if (!step('reception_officer', 'supplement-received', {}, t)) return build();
  }
  const late = random() < 0.05;
  const share = late ? 1.05 + random() * 0.5 : 0.25 + random() * 0.7;
  const planned = later(start, budget * share + hoursPaused());
  // At least a tenth of the budget after the last step (an hour at most): a one-hour procedure stays on time.
  const soonest = later(t, Math.min(1, budget * 0.1));
  const ready = planned > soonest ? planned : soonest;
  const hops = p.steps.length - 1;
  for (let i = 0; i < hops; i++) {
    const at = new Date(t.getTime() + ((ready.getTime() - t.getTime()) * (i + 1)) / (hops + 2));
    const from = p.steps[i]?.role ?? 'specialist';
    if (!step(from, 'forward', {}, at, p.steps[i + 1]?.role)) return build();
  }
  const approveAt = new Date(t.getTime() + ((ready.getTime() - t.getTime()) * (hops + 1)) / (hops + 2));
  if (!step(p.steps.at(-1)?.role ?? 'commune_leader', 'approve', {}, approveAt)) return build();
  if (!step('reception_officer', 'result-ready', {}, ready)) return build();
  const returned = later(ready, random() * 12);
  if (
    !step(
      'reception_officer',
      'return-result',
      { recipientName: applicant.fullName, method: 'counter' },
      returned,
    )
  ) {
    return build();
  }
  return build(random() < 0.4 ? returned : null);

  function hoursPaused() {
    const s = state as unknown as DossierState;
    return s.pauses.reduce((sum, x) => sum + cal.workingHoursBetween(new Date(x.start), new Date(x.end)), 0);
  }

  function build(ratedAfter: Date | null = null): Built {
    const s = state as unknown as DossierState;
    const r = random();
    const rating =
      ratedAfter && new Date(ratedAfter.getTime() + 3_600_000) <= until
        ? {
            rating: r < 0.62 ? 'very_satisfied' : r < 0.94 ? 'satisfied' : 'not_satisfied',
            at: new Date(ratedAfter.getTime() + 3_600_000).toISOString(),
          }
        : null;
    const digitized = s.receivedAt !== null && random() < 0.86;
    const reused = digitized && random() < 0.35;
    const handed = components.filter((c) => c.handedIn).length;
    return {
      row: {
        code,
        procedure_version_id: p.versionId,
        procedure_code: p.code,
        channel,
        support_unit_code: commune.code,
        receiving_unit_code: commune.code,
        competent_unit_code: commune.code,
        province_code: commune.province,
        rule_version: 'ND118/2025',
        applicant_citizen_id: applicant.citizenId,
        applicant_name: applicant.fullName,
        applicant_name_folded: foldVietnamese(applicant.fullName),
        applicant: JSON.stringify(applicant),
        components: JSON.stringify(components),
        fees: JSON.stringify(fees),
        submitted_at: s.submittedAt,
        created_by: staff('reception_officer'),
        updated_at: events.at(-1)?.at ?? s.submittedAt,
        ...dossierProjection(s),
        // Written here because the bulk load skips the triggers that copy them (then recounts).
        components_digitized: digitized ? handed : 0,
        components_reused: reused ? handed : 0,
        rating: rating?.rating ?? null,
        rated_at: rating?.at ?? null,
      },
      events,
      rating,
      digitized,
      reused,
    };
  }
}

/** A one-page PDF every generated scan points at (the demo's history has no real papers). */
const SAMPLE_SCAN = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/**
 * Fills the database with the plan's history through the dossier machine (every dossier has the events
 * its row is the fold of), in batches, then recounts the indicators once. Returns how many dossiers.
 */
export async function generateHistory(
  db: Kysely<DB>,
  plan: HistoryPlan,
  options: { files: FileStore; now?: Date; onProgress?: (fraction: number) => void },
): Promise<number> {
  const until = options.now ?? new Date();
  const units = createUnitsService(createUnitsRepository(db));
  const calendar = createCalendarService(db, units);
  const published = await db
    .selectFrom('procedure_version')
    .select(['id', 'version', 'definition', 'field'])
    .where('status', '=', 'published')
    .where('scope', '=', 'VN')
    .orderBy('code')
    .execute();
  const procedures = published.map((r) => ({
    ...(r.definition as unknown as ProcedureDefinition),
    versionId: r.id,
    version: r.version,
  }));
  const weighted = procedures.flatMap((p) => Array(FIELD_WEIGHTS[p.field] ?? 1).fill(p) as typeof procedures);
  const scan = await options.files.put(SAMPLE_SCAN);
  await db
    .insertInto('stored_file')
    .values({ sha256: scan, size_bytes: SAMPLE_SCAN.length, media_type: 'application/pdf', pages: 1 })
    .onConflict((oc) => oc.doNothing())
    .execute();
  // Everything read first: the embedded database has one connection, held by the transaction below.
  const calendars = new Map<string, WorkCalendar>();
  for (const c of plan.communes) calendars.set(c.code, await calendar.getCalendar(c.code));
  const allAccounts = await db
    .selectFrom('staff_account')
    .select(['id', 'role', 'unit_code'])
    .where(
      'unit_code',
      'in',
      plan.communes.map((c) => c.code),
    )
    .execute();
  let written = 0;
  // One transaction: a start interrupted half-way leaves nothing behind, and the next start begins again.
  await db.transaction().execute(async (trx) => {
    await sql`set local motcua.bulk_load = 'on'`.execute(trx);
    for (const [ci, commune] of plan.communes.entries()) {
      const cal = calendars.get(commune.code) as WorkCalendar;
      const accounts = allAccounts.filter((a) => a.unit_code === commune.code);
      const idOf = (role: StaffRole) => accounts.find((a) => a.role === role)?.id ?? accounts[0]?.id ?? 0;
      const staff: Staff = idOf;
      // Day by day: how many, and how many online (exact in the field reports' windows).
      const days: string[] = [];
      for (
        let d = new Date(`${plan.from}T12:00:00+07:00`);
        toLocalDate(d) <= plan.to;
        d = new Date(d.getTime() + 86_400_000)
      ) {
        if (cal.isWorkingDay(toLocalDate(d))) days.push(toLocalDate(d));
      }
      const counts = new Map<string, { total: number; online: number }>();
      for (const w of commune.windows ?? []) {
        const inWindow = days.filter((d) => d >= w.from && d <= w.to);
        const random = randomFrom(plan.seed, commune.code, w.from);
        const totals = splitExactly(w.total, inWindow.length, random);
        const onlines = splitExactly(w.online, inWindow.length, random);
        inWindow.forEach((d, i) => {
          const total = totals[i] ?? 0;
          counts.set(d, { total, online: Math.min(total, onlines[i] ?? 0) });
        });
        // Rounding may leave a day with more online than all: move the excess to the next day with room.
        let excess = w.online - inWindow.reduce((s, d) => s + (counts.get(d)?.online ?? 0), 0);
        for (const d of inWindow) {
          const c = counts.get(d);
          if (!c || excess <= 0) continue;
          const room = Math.min(excess, c.total - c.online);
          c.online += room;
          excess -= room;
        }
      }
      const batch: Built[] = [];
      const counters: { unit_code: string; day: string; last_seq: number }[] = [];
      for (const [di, day] of days.entries()) {
        const random = randomFrom(plan.seed, commune.code, day);
        const fixed = counts.get(day);
        const total = fixed?.total ?? Math.max(0, Math.round(commune.perDay * (0.6 + random() * 0.8)));
        const online =
          fixed?.online ?? Math.round(total * Math.min(1, commune.onlineShare * (0.85 + random() * 0.3)));
        for (let i = 0; i < total; i++) {
          const channel: Channel = i < online ? 'online' : random() < 0.02 ? 'postal' : 'counter';
          const p = weighted[Math.floor(random() * weighted.length)] as (typeof procedures)[number];
          if (channel === 'online' && p.onlineLevel === 'none') {
            // Procedures not offered online arrive at the counter; keep the day's online count exact.
            i--;
            continue;
          }
          // Filed online by 15:00, so that the reception the same day makes it that day's dossier.
          const minute = 7 * 60 + Math.floor(random() * (channel === 'online' ? 480 : 540));
          const at = cal.nextWorkingMoment(
            new Date(
              `${day}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00+07:00`,
            ),
          );
          if (at > until) continue;
          const seq = i + 1;
          const code = `${commune.code}-${day.slice(2).replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
          const built = liveOne(p, channel, at, until, cal, staff, random, code, commune, ci * 100_000 + seq);
          if (built) batch.push(built);
        }
        if (total) counters.push({ unit_code: commune.code, day, last_seq: total });
        if (batch.length >= 400) written += await flush(trx, batch.splice(0), scan, commune.code);
        options.onProgress?.((ci + (di + 1) / days.length) / plan.communes.length);
      }
      written += await flush(trx, batch.splice(0), scan, commune.code);
      for (let i = 0; i < counters.length; i += 1000) {
        await trx
          .insertInto('dossier_code_counter')
          .values(counters.slice(i, i + 1000))
          .onConflict((oc) =>
            oc
              .columns(['unit_code', 'day'])
              .doUpdateSet({ last_seq: sql`greatest(dossier_code_counter.last_seq, excluded.last_seq)` }),
          )
          .execute();
      }
    }
    await sql`select stats_recount()`.execute(trx);
  });
  return written;
}

/** One batch, in the history's transaction: rows (with their facts), events, scans, ratings; triggers off. */
async function flush(trx: Transaction<DB>, batch: Built[], sha256: string, unitCode: string) {
  if (!batch.length) return 0;
  // The first dossier's scan stands in for the citizen's stored paper that the others reuse.
  const first = batch[0];
  if (first?.reused) {
    first.reused = false;
    first.row.components_reused = 0;
  }
  const ids = await trx
    .insertInto('dossier')
    .values(batch.map((b) => b.row) as never)
    .returning('id')
    .execute();
  const events = batch.flatMap((b, i) =>
    b.events.map((e, seq) => ({
      dossier_id: Number(ids[i]?.id),
      seq: seq + 1,
      type: e.type,
      at: e.at,
      actor_id: e.actor.id,
      actor_citizen_id: null,
      actor_role: e.actor.role,
      data: JSON.stringify(e.data),
    })),
  );
  for (let i = 0; i < events.length; i += 2000) {
    await trx
      .insertInto('dossier_event')
      .values(events.slice(i, i + 2000))
      .execute();
  }
  const documents = batch.flatMap((b, i) => {
    if (!b.digitized) return [];
    const components = JSON.parse(String(b.row.components)) as {
      key: string;
      name: string;
      handedIn: boolean;
    }[];
    return components
      .filter((c) => c.handedIn)
      .map((c) => ({
        sha256,
        citizen_id: String(b.row.applicant_citizen_id),
        dossier_id: Number(ids[i]?.id),
        component_key: c.key,
        name: c.name,
        digitization: 'digitized' as const,
        unit_code: unitCode,
        created_at: new Date(String(b.row.submitted_at)),
      }));
  });
  if (documents.length) await trx.insertInto('document').values(documents).execute();
  const reused = batch.flatMap((b, i) => (b.reused ? [Number(ids[i]?.id)] : []));
  if (reused.length) {
    // Reused from the citizen's store: the first scan of the batch stands in for the stored paper.
    await sql`update document set digitization = 'reused',
        reused_from = (select min(id) from document where dossier_id = ${Number(ids[0]?.id)})
      where dossier_id = any(${reused}::bigint[]) and id <> (select min(id) from document where dossier_id = ${Number(ids[0]?.id)})`.execute(
      trx,
    );
  }
  const ratings = batch.flatMap((b, i) =>
    b.rating
      ? [
          {
            dossier_id: Number(ids[i]?.id),
            rating: b.rating.rating as 'satisfied',
            created_at: new Date(b.rating.at),
          },
        ]
      : [],
  );
  if (ratings.length) await trx.insertInto('dossier_rating').values(ratings).execute();
  return batch.length;
}
