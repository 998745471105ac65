import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { maskCitizenId, maskName } from '../../../core/dossiers/citizen-id.ts';
import { ACTION_NAMES_VI } from '../../../core/dossiers/dossier-actions.ts';
import { isOverdue } from '../../../core/dossiers/dossier-machine.ts';
import { NATIONAL_STATUS_NAMES } from '../../../core/dossiers/dossier-status.ts';
import { AppError, translateError } from '../../../core/errors.ts';
import { ErrorBody } from '../../plugins/openapi.ts';
import type { DossiersService } from './dossiers.service.ts';
import { renderTrackingPage } from './tracking.page.ts';

const TrackingCode = z
  .string()
  .trim()
  .max(60)
  .regex(/^[A-Za-z0-9.]+-\d{6}-\d{4}$/, { error: 'Mã hồ sơ không đúng dạng (ví dụ 30502-251122-0001)' });

const PublicDossier = z.object({
  code: z.string(),
  procedure: z.object({ code: z.string(), name: z.string() }),
  applicantName: z.string().describe('initials only'),
  citizenId: z.string().describe('last three digits only'),
  receivingUnitCode: z.string(),
  statusCode: z.number(),
  statusName: z.string(),
  submittedAt: z.string(),
  receivedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  overdue: z.boolean().describe('being handled and past the promised date'),
  resultReadyAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  timeline: z.array(
    z.object({
      at: z.string(),
      action: z.string().describe('the step in Vietnamese'),
      kind: z.string().describe("the action's key (intake, assign, approve…), for other languages"),
      verdict: z.string().nullable(),
    }),
  ),
});

/**
 * Codes run 0001, 0002, … per commune and day, so they can be guessed: an address that keeps asking for
 * codes that do not exist is stopped for a while. Citizens refreshing their own dossier, or a whole
 * commune centre behind one address, only ever ask for codes that exist and are never counted.
 */
export type TrackingMissLimit = { max: number; windowMs: number };
export const TRACKING_MISS_LIMIT: TrackingMissLimit = { max: 30, windowMs: 10 * 60_000 };

/** The masked lookup by code that the API, the script-free page and the app's first paint share. */
export function createPublicLookup(deps: {
  dossiers: DossiersService;
  now: () => Date;
  missLimit?: TrackingMissLimit;
}) {
  const { dossiers, now } = deps;
  const missLimit = deps.missLimit ?? TRACKING_MISS_LIMIT;
  const misses = new LRUCache<string, number>({ max: 50_000, ttl: missLimit.windowMs });

  /** The masked view of a dossier by code; unknown codes count against the address (see above). */
  async function lookup(ip: string, code: string): Promise<z.infer<typeof PublicDossier>> {
    const missed = misses.get(ip) ?? 0;
    if (missed >= missLimit.max) {
      throw new AppError('TOO_MANY_UNKNOWN_CODES', { minutes: Math.ceil(missLimit.windowMs / 60_000) });
    }
    const found = await dossiers.findPublic(code);
    if (!found) {
      // A new miss does not extend the window of the earlier ones.
      misses.set(ip, missed + 1, { noUpdateTTL: missed > 0 });
      throw new AppError('DOSSIER_NOT_FOUND', { id: code });
    }
    const { row, state, procedure } = found;
    return {
      code: row.code,
      procedure: { code: procedure.code, name: procedure.name },
      applicantName: maskName(row.applicant_name),
      citizenId: maskCitizenId(row.applicant_citizen_id),
      receivingUnitCode: row.receiving_unit_code,
      statusCode: state.statusCode,
      statusName: NATIONAL_STATUS_NAMES[state.statusCode]?.vi ?? '',
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
        params: z.object({ code: TrackingCode }),
        response: { 200: PublicDossier, 400: ErrorBody, 404: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return lookup(request.ip, request.params.code);
    },
  );

  // The script-free tracking page: for browsers without JavaScript, and while the web app is being built.
  app.get('/lite/track', { schema: { hide: true } }, async (request, reply) => {
    const code = (request.query as { code?: unknown }).code;
    if (typeof code === 'string' && code.trim())
      return reply.redirect(`/lite/track/${encodeURIComponent(code.trim())}`);
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
    try {
      return renderTrackingPage({ dossier: await lookup(request.ip, parsed.data) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const status = err.code === 'DOSSIER_NOT_FOUND' ? 404 : 429;
      return reply
        .status(status)
        .send(renderTrackingPage({ error: translateError(err.code, 'vi', err.params), typed: parsed.data }));
    }
  });
};
