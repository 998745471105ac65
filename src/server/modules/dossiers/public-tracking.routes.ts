import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { maskCitizenId, maskName } from '../../../core/dossiers/citizen-id.ts';
import { ACTION_NAMES_VI } from '../../../core/dossiers/dossier-actions.ts';
import { isOverdue } from '../../../core/dossiers/dossier-machine.ts';
import { NATIONAL_STATUS_NAMES } from '../../../core/dossiers/dossier-status.ts';
import { PublicDossier } from '../../../core/dossiers/tracking.schemas.ts';
import { AppError, translateError } from '../../../core/errors.ts';
import { ErrorBody } from '../../plugins/openapi.ts';
import type { DossiersService } from './dossiers.service.ts';
import { renderTrackingPage } from './tracking.page.ts';

const TrackingCode = z
  .string()
  .trim()
  .max(60)
  .regex(/^[A-Za-z0-9.]+-\d{6}-\d{4}$/, { error: 'Mã hồ sơ không đúng dạng (ví dụ 30502-251122-0001)' });

/** The second fact a citizen holds: the last 4 digits of the personal ID on their receipt. */
const Last4 = z
  .string()
  .trim()
  .regex(/^\d{4}$/, { error: 'Nhập đúng 4 chữ số cuối của số định danh cá nhân' });

/**
 * Codes run 0001, 0002, … per commune and day, so they can be guessed. Every lookup, of a code that
 * exists or not, counts against the address (counting only unknown codes let one address harvest a
 * month); and a code alone shows the status only: the rest needs the last 4 ID digits, whose wrong
 * guesses have their own, smaller allowance.
 */
export type TrackingLimit = { max: number; wrongFactMax: number; windowMs: number };
export const TRACKING_LIMIT: TrackingLimit = { max: 60, wrongFactMax: 5, windowMs: 10 * 60_000 };

/** Equal-length digit strings compared without an early exit. */
function sameDigits(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A counter per address that expires a window after its first hit (a new hit does not extend it). */
function windowCounter(windowMs: number) {
  const hits = new LRUCache<string, number>({ max: 50_000, ttl: windowMs });
  return {
    get: (ip: string) => hits.get(ip) ?? 0,
    add(ip: string) {
      const n = hits.get(ip) ?? 0;
      hits.set(ip, n + 1, { noUpdateTTL: n > 0 });
    },
  };
}

/** The masked lookup by code that the API, the script-free page and the app's first paint share. */
export function createPublicLookup(deps: {
  dossiers: DossiersService;
  now: () => Date;
  limit?: TrackingLimit;
}) {
  const { dossiers, now } = deps;
  const limit = deps.limit ?? TRACKING_LIMIT;
  const minutes = Math.ceil(limit.windowMs / 60_000);
  const lookups = windowCounter(limit.windowMs);
  const wrongFacts = windowCounter(limit.windowMs);

  /** The status of a dossier by code; its details only with the right last 4 ID digits. */
  async function lookup(ip: string, code: string, last4?: string): Promise<PublicDossier> {
    if (lookups.get(ip) >= limit.max) throw new AppError('TOO_MANY_LOOKUPS', { minutes });
    lookups.add(ip);
    if (last4 !== undefined && wrongFacts.get(ip) >= limit.wrongFactMax) {
      throw new AppError('TOO_MANY_WRONG_FACTS', { minutes });
    }
    const found = await dossiers.findPublic(code);
    if (!found) throw new AppError('DOSSIER_NOT_FOUND', { id: code });
    const { row, state, procedure } = found;
    const status = {
      code: row.code,
      procedure: { code: procedure.code, name: procedure.name },
      statusCode: state.statusCode,
      statusName: NATIONAL_STATUS_NAMES[state.statusCode]?.vi ?? '',
    };
    if (last4 === undefined) return { ...status, detailed: false };
    if (!sameDigits(last4, row.applicant_citizen_id.slice(-4))) {
      wrongFacts.add(ip);
      throw new AppError('TRACKING_FACT_WRONG');
    }
    return {
      ...status,
      detailed: true,
      applicantName: maskName(row.applicant_name),
      citizenId: maskCitizenId(row.applicant_citizen_id),
      receivingUnitCode: row.receiving_unit_code,
      submittedAt: state.submittedAt,
      receivedAt: state.receivedAt,
      dueAt: state.dueAt,
      overdue: isOverdue(state, now()),
      resultReadyAt: state.resultReadyAt,
      returnedAt: state.returnedAt,
      timeline: state.controlSlip.map((r) => ({
        at: r.at,
        action: r.action === 'intake' ? 'Tiếp nhận' : ACTION_NAMES_VI[r.action],
        kind: r.action,
        verdict: r.verdict,
      })),
    };
  }
  return lookup;
}

export type PublicLookup = ReturnType<typeof createPublicLookup>;

export const publicTrackingRoutes: FastifyPluginAsyncZod<{ lookup: PublicLookup }> = async (
  app,
  { lookup },
) => {
  app.get(
    '/api/public/dossiers/:code',
    {
      schema: {
        tags: ['public'],
        summary: 'Track a dossier by its code, without signing in; personal data masked',
        description:
          'A code alone answers the status and the procedure; `last4` (the last 4 digits of the applicant’s personal ID) adds the masked applicant, the dates and the timeline. Every lookup counts against the address.',
        params: z.object({ code: TrackingCode }),
        querystring: z.object({ last4: Last4.optional() }),
        response: { 200: PublicDossier, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return lookup(request.ip, request.params.code, request.query.last4);
    },
  );

  // The script-free tracking page: for browsers without JavaScript, and while the web app is being built.
  app.get('/lite/track', { schema: { hide: true } }, async (request, reply) => {
    const { code, last4 } = request.query as { code?: unknown; last4?: unknown };
    if (typeof code === 'string' && code.trim()) {
      const fact =
        typeof last4 === 'string' && last4.trim() ? `?last4=${encodeURIComponent(last4.trim())}` : '';
      return reply.redirect(`/lite/track/${encodeURIComponent(code.trim())}${fact}`);
    }
    return reply.type('text/html; charset=utf-8').send(renderTrackingPage(null));
  });
  app.get('/lite/track/:code', { schema: { hide: true } }, async (request, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    const parsed = TrackingCode.safeParse((request.params as { code: string }).code);
    if (!parsed.success)
      return reply.status(400).send(
        renderTrackingPage({
          error: parsed.error.issues[0]?.message ?? '',
          typed: String((request.params as { code: string }).code),
        }),
      );
    const rawFact = (request.query as { last4?: unknown }).last4;
    const fact = typeof rawFact === 'string' && rawFact.trim() ? Last4.safeParse(rawFact) : null;
    if (fact && !fact.success)
      return reply
        .status(400)
        .send(renderTrackingPage({ error: fact.error.issues[0]?.message ?? '', typed: parsed.data }));
    try {
      return renderTrackingPage({ dossier: await lookup(request.ip, parsed.data, fact?.data) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const status = err.code === 'DOSSIER_NOT_FOUND' ? 404 : err.code === 'TRACKING_FACT_WRONG' ? 403 : 429;
      return reply
        .status(status)
        .send(renderTrackingPage({ error: translateError(err.code, 'vi', err.params), typed: parsed.data }));
    }
  });
};
