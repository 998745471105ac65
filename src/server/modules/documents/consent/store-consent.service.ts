import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type {
  CitizenConsentAnswer,
  CitizenConsentRequests,
  ConsentConfirmed,
  ConsentRequested,
  ConsentStatus,
} from '../../../../core/documents/documents.schemas.ts';
import { AppError } from '../../../../core/errors.ts';
import type { StaffPrincipal } from '../../../../core/identity/roles.ts';
import type { DB } from '../../../db/schema.ts';
import { recordAudit } from '../../audit/audit.service.ts';
import type { OneTimeCodeSender } from '../../citizens/messages/one-time-code-sender.ts';
import type { DossiersService } from '../../dossiers/dossiers.service.ts';
import type { CitizenActor } from '../../dossiers/online-intake.ts';
import type { Actor } from '../../identity/identity.service.ts';
import { createStoreConsentRepository, type StoreConsentRow } from './store-consent.repository.ts';

/** A code (or a portal request) can be answered for 10 minutes. */
export const CONSENT_ANSWER_MS = 10 * 60_000;
/** Wrong codes allowed before the code is void and a new one is needed. */
export const CONSENT_MAX_TRIES = 5;
/** Requests (both ways) a dossier may make per window: each one texts the citizen. */
export const CONSENT_REQUESTS_PER_WINDOW = 3;
export const CONSENT_REQUEST_WINDOW_MS = 10 * 60_000;
/**
 * A grant lasts 24 hours from the citizen's answer, and ends sooner when the dossier ends (every use
 * checks the dossier is still open). Papers are reused at intake, in the minutes the citizen is at the
 * counter; the officers who process the dossier afterwards read the copies attached to it, which the
 * dossier's own access rules cover. Keeping the store open for the whole processing time (weeks for some
 * procedures) would leave a citizen's every paper readable long after they left; 24 hours covers an
 * intake finished the next morning and bounds what a stolen session can browse.
 */
export const CONSENT_GRANT_MS = 24 * 3_600_000;

type Deps = {
  db: Kysely<DB>;
  dossiers: DossiersService;
  /** The phone VNeID vouches for (citizens module). */
  findVerifiedPhone: (citizenId: string) => Promise<string | null>;
  /** The requesting commune's name, as the citizen is shown it. */
  unitName: (unitCode: string) => Promise<string>;
  sender: OneTimeCodeSender;
  now: () => Date;
};

export type StoreContext = { id: number; code: string; citizenId: string; closed: boolean };

const maskPhone = (last3: string | null) => (last3 ? `•••••••${last3}` : null);

function hashCode(code: string, salt = randomBytes(16).toString('hex')) {
  return `${salt}$${createHash('sha256').update(`${salt}:${code}`).digest('hex')}`;
}

function codeMatches(stored: string, given: string) {
  const [salt = ''] = stored.split('$');
  const a = Buffer.from(stored);
  const b = Buffer.from(hashCode(given, salt));
  return a.length === b.length && timingSafeEqual(a, b);
}

function grantView(g: StoreConsentRow) {
  return {
    id: g.id,
    channel: g.channel,
    grantedAt: new Date(g.granted_at as Date).toISOString(),
    expiresAt: new Date(g.expires_at as Date).toISOString(),
  };
}

function pendingView(p: StoreConsentRow) {
  return {
    id: p.id,
    channel: p.channel,
    sentTo: maskPhone(p.phone_last3),
    requestedAt: new Date(p.requested_at).toISOString(),
    answerBy: new Date(p.answer_by).toISOString(),
  };
}

/**
 * The citizen's consent, per dossier, to let the dossier's officers list and reuse the papers of the
 * applicant's personal store: asked at the counter (a one-time code by SMS, or a request the citizen
 * approves in their VNeID portal session), granted, checked at every use. Every step is audited.
 */
export function createStoreConsentService(deps: Deps) {
  const { db, dossiers, sender } = deps;
  const repo = createStoreConsentRepository();

  async function audit(
    trx: Kysely<DB> | Transaction<DB>,
    origin: { requestId: string; ip: string | null; userAgent: string | null },
    actorId: number | null,
    action: string,
    row: StoreConsentRow,
    code: string,
    details: Record<string, unknown> = {},
  ) {
    await recordAudit(trx, {
      actorId,
      action,
      entity: 'dossier',
      entityId: row.dossier_id,
      unitCode: row.unit_code,
      details: { code, consent: row.id, channel: row.channel, ...details },
      at: deps.now(),
      requestId: origin.requestId,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  }

  /** The dossier an officer asks about: 404 outside their units, 403 without a handling role. */
  async function openForConsent(staff: StaffPrincipal, dossierId: number) {
    const dossier = await dossiers.getDocumentContext(staff, dossierId);
    if (!dossier.canAct) {
      throw new AppError('ROLE_NOT_ALLOWED', { action: 'Xin phép dùng kho dữ liệu của công dân' });
    }
    if (dossier.closed) {
      throw new AppError('CONFLICT', { detail: `hồ sơ ${dossier.code} đã kết thúc` });
    }
    return dossier;
  }

  return {
    /**
     * Asks the applicant: `sms` sends a fresh 6-digit code to the phone VNeID vouches for (replacing an
     * earlier one), `portal` leaves a request in their portal. A failed send leaves no live request.
     */
    async request(actor: Actor, dossierId: number, channel: 'sms' | 'portal'): Promise<ConsentRequested> {
      const { staff } = actor;
      const dossier = await openForConsent(staff, dossierId);
      const now = deps.now();
      const recent = await repo.countRequestsSince(
        db,
        dossier.id,
        new Date(now.getTime() - CONSENT_REQUEST_WINDOW_MS),
      );
      if (recent >= CONSENT_REQUESTS_PER_WINDOW) {
        throw new AppError('CONSENT_TOO_MANY_REQUESTS', {
          count: recent,
          minutes: CONSENT_REQUEST_WINDOW_MS / 60_000,
        });
      }
      const phone = channel === 'sms' ? await deps.findVerifiedPhone(dossier.citizenId) : null;
      if (channel === 'sms' && !phone) throw new AppError('CONSENT_NO_PHONE');
      const unitName = await deps.unitName(staff.unitCode);
      const code = channel === 'sms' ? String(randomInt(0, 1_000_000)).padStart(6, '0') : null;
      const phoneLast3 = phone ? phone.replace(/\D/g, '').slice(-3) : null;
      const row = await db.transaction().execute(async (trx) => {
        const inserted = await repo.insertRequest(trx, {
          dossierId: dossier.id,
          dossierCode: dossier.code,
          citizenId: dossier.citizenId,
          channel,
          requestedBy: staff.id,
          unitCode: staff.unitCode,
          unitName,
          requestedAt: now,
          answerBy: new Date(now.getTime() + CONSENT_ANSWER_MS),
          codeHash: code ? hashCode(code) : null,
          phoneLast3,
        });
        await audit(trx, actor, staff.id, 'store.consent.request', inserted, dossier.code, {
          ...(phoneLast3 ? { phone: maskPhone(phoneLast3) } : {}),
        });
        return inserted;
      });
      let shownCode: string | null = null;
      if (code && phone) {
        try {
          // Unaccented, as SMS in Vietnam usually are: a diacritic makes it UCS-2 and halves its length.
          ({ shownCode } = await sender.send({
            channel: 'sms',
            to: phone,
            code,
            text: `MotCua: ma xac nhan ${code}. ${unitName} xin dung giay to trong kho du lieu cua ban cho ho so ${dossier.code}. Chi doc ma cho can bo neu ban dong y. Het han sau 10 phut.`,
          }));
        } catch (err) {
          await db.transaction().execute(async (trx) => {
            await repo.setStatus(trx, row.id, 'failed');
            await audit(trx, actor, staff.id, 'store.consent.fail', row, dossier.code, {
              reason: err instanceof AppError ? err.code : 'SMS_GATEWAY_UNAVAILABLE',
            });
          });
          if (err instanceof AppError) throw err;
          throw new AppError('SMS_GATEWAY_UNAVAILABLE');
        }
      }
      return {
        pending: pendingView(row),
        // Only the development sender in demo mode gives it back: there is no real SMS on this machine.
        demoCode: shownCode,
      };
    },

    /** The code the citizen read out: right, the grant; wrong, one try fewer; the fifth wrong voids it. */
    async confirm(actor: Actor, dossierId: number, code: string): Promise<ConsentConfirmed> {
      const { staff } = actor;
      const dossier = await openForConsent(staff, dossierId);
      const now = deps.now();
      const outcome = await db.transaction().execute(async (trx) => {
        const row = await repo.findPendingForUpdate(trx, dossier.id, 'sms');
        if (!row?.code_hash) return { error: new AppError('CONSENT_CODE_EXPIRED') };
        if (new Date(row.answer_by) <= now) {
          await repo.setStatus(trx, row.id, 'expired');
          await audit(trx, actor, staff.id, 'store.consent.fail', row, dossier.code, { reason: 'expired' });
          return { error: new AppError('CONSENT_CODE_EXPIRED') };
        }
        if (!codeMatches(row.code_hash, code)) {
          const tries = row.tries + 1;
          const spent = tries >= CONSENT_MAX_TRIES;
          if (spent) await repo.setStatus(trx, row.id, 'failed', { tries });
          else await repo.setTries(trx, row.id, tries);
          await audit(trx, actor, staff.id, 'store.consent.fail', row, dossier.code, {
            reason: spent ? 'too_many_tries' : 'wrong_code',
            tries,
          });
          return {
            error: spent
              ? new AppError('CONSENT_TOO_MANY_TRIES')
              : new AppError(
                  'CONSENT_CODE_WRONG',
                  { left: CONSENT_MAX_TRIES - tries },
                  { code: 'Mã xác nhận không đúng' },
                  { triesLeft: CONSENT_MAX_TRIES - tries },
                ),
          };
        }
        const expiresAt = new Date(now.getTime() + CONSENT_GRANT_MS);
        await repo.setStatus(trx, row.id, 'granted', { tries: row.tries + 1, grantedAt: now, expiresAt });
        await audit(trx, actor, staff.id, 'store.consent.grant', row, dossier.code, {
          expiresAt: expiresAt.toISOString(),
        });
        return { grant: { ...row, status: 'granted' as const, granted_at: now, expires_at: expiresAt } };
      });
      // Thrown after the commit: a wrong try must count even though the answer is an error.
      if ('error' in outcome) throw outcome.error;
      return { grant: grantView(outcome.grant) };
    },

    /** Where the dossier's consent stands: the live grant, and the request still waiting, if any. */
    async getStatus(staff: StaffPrincipal, dossierId: number): Promise<ConsentStatus> {
      const dossier = await dossiers.getDocumentContext(staff, dossierId);
      const now = deps.now();
      const grant = dossier.closed ? undefined : await repo.findLiveGrant(db, dossier.id, now);
      const pending = await repo.findLivePending(db, dossier.id, now);
      return {
        grant: grant ? grantView(grant) : null,
        pending: pending && !grant ? pendingView(pending) : null,
      };
    },

    /** The grant in force for this dossier, or 403 STORE_CONSENT_REQUIRED (a closed dossier has none). */
    async requireGrant(dossier: StoreContext) {
      const grant = dossier.closed ? undefined : await repo.findLiveGrant(db, dossier.id, deps.now());
      if (!grant || grant.citizen_id !== dossier.citizenId) throw new AppError('STORE_CONSENT_REQUIRED');
      return grant;
    },

    /** The counter's requests waiting for this citizen in the portal. */
    async listForCitizen(actor: CitizenActor): Promise<CitizenConsentRequests> {
      const rows = await repo.listPendingForCitizen(db, actor.citizen.citizenId, deps.now());
      return {
        items: rows.map((r) => ({
          id: r.id,
          dossierId: Number(r.dossier_id),
          dossierCode: r.dossier_code,
          unitName: r.unit_name,
          requestedAt: new Date(r.requested_at).toISOString(),
          answerBy: new Date(r.answer_by).toISOString(),
        })),
      };
    },

    /**
     * The citizen's answer in their own VNeID session: only the applicant of that dossier, only while
     * the request waits. Level 2 is needed (level 1 is a self-declared identity).
     */
    async answer(actor: CitizenActor, requestId: number, approve: boolean): Promise<CitizenConsentAnswer> {
      const { citizen } = actor;
      if (approve && citizen.level < 2) throw new AppError('IDENTITY_LEVEL_TOO_LOW', { needed: 2, level: 1 });
      const now = deps.now();
      const answered = await db.transaction().execute(async (trx) => {
        const row = await repo.findByIdForUpdate(trx, requestId);
        if (
          !row ||
          row.citizen_id !== citizen.citizenId ||
          row.channel !== 'portal' ||
          row.status !== 'pending' ||
          new Date(row.answer_by) <= now
        ) {
          return null;
        }
        const code = row.dossier_code;
        if (!approve) {
          await repo.setStatus(trx, row.id, 'declined');
          await audit(trx, actor, null, 'store.consent.decline', row, code, { citizenAccount: citizen.id });
          return { status: 'declined' as const, expiresAt: null };
        }
        const expiresAt = new Date(now.getTime() + CONSENT_GRANT_MS);
        await repo.setStatus(trx, row.id, 'granted', {
          grantedAt: now,
          expiresAt,
          grantedByCitizen: citizen.id,
        });
        await audit(trx, actor, null, 'store.consent.grant', row, code, {
          citizenAccount: citizen.id,
          expiresAt: expiresAt.toISOString(),
        });
        return { status: 'granted' as const, expiresAt: expiresAt.toISOString() };
      });
      if (!answered) throw new AppError('CONSENT_REQUEST_NOT_FOUND');
      return answered;
    },
  };
}

export type StoreConsentService = ReturnType<typeof createStoreConsentService>;
