import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { type Kysely, sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import { COMMUNE_HANDLING_ROLES } from '../../../core/dossiers/dossier-actions.ts';
import { AppError } from '../../../core/errors.ts';
import { ROLE_TITLES_VI, type StaffPrincipal, type StaffRole } from '../../../core/identity/roles.ts';
import type { StaffList } from '../../../core/identity/staff.schemas.ts';
import { foldVietnamese } from '../../../core/units/unit-names.ts';
import type { DB } from '../../db/schema.ts';
import { hasActedFrom, recordAudit } from '../audit/audit.service.ts';

// A fixed hash to verify against when the user name is unknown, so timing does not reveal which names exist.
let decoyHash: Promise<string> | undefined;

/**
 * Wrong passwords in a row before the account is throttled. The throttle starts at `firstDelaySeconds`
 * and doubles with each further wrong password, up to `minutes`. It holds back only addresses that have
 * not signed in to the account in the last `knownDays`: an anonymous guesser cannot lock out the officer
 * at their own counter PC, who still signs in with the right password.
 */
export const LOCKOUT = { attempts: 5, firstDelaySeconds: 30, minutes: 15, knownDays: 30 };

/** Wrong passwords one address may send (to any accounts) per window before it is refused. */
export const ADDRESS_FAILURES = { max: 20, minutes: 15 };

/** How long the account is held back after `failures` wrong passwords in a row. */
export function throttleDelayMs(failures: number) {
  const doublings = Math.max(0, failures - LOCKOUT.attempts);
  return Math.min(LOCKOUT.firstDelaySeconds * 1000 * 2 ** Math.min(doublings, 20), LOCKOUT.minutes * 60_000);
}

/** Vietnamese alphabetical order (PGlite has no Vietnamese collation: sorted here). */
const VIETNAMESE = new Intl.Collator('vi');

export type RequestOrigin = { requestId: string; ip: string | null; userAgent: string | null };
/** Who does something, and from where: what services record in the audit log. */
export type Actor = RequestOrigin & { staff: StaffPrincipal };

function hashToken(token: string) {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of two tokens (a mismatch in length is a plain mismatch). */
/** Constant-time equality of two secrets; an empty one (a session from before CSRF tokens) never matches. */
export function sameToken(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length > 0 && x.length === y.length && timingSafeEqual(x, y);
}

export type StaffSession = { principal: StaffPrincipal; csrfToken: string };

export function createIdentityService(
  db: Kysely<DB>,
  options: { sessionTtlHours: number; now?: () => Date },
) {
  const now = options.now ?? (() => new Date());
  // Wrong passwords per address in the current window (in memory: one server process holds the data).
  const addressFailures = new LRUCache<string, { count: number; since: number }>({ max: 50_000 });

  function isAddressOverBudget(ip: string | null) {
    const entry = ip ? addressFailures.get(ip) : undefined;
    if (!entry) return false;
    if (now().getTime() - entry.since <= ADDRESS_FAILURES.minutes * 60_000) {
      return entry.count >= ADDRESS_FAILURES.max;
    }
    addressFailures.delete(ip ?? '');
    return false;
  }

  function countAddressFailure(ip: string | null) {
    if (!ip) return;
    const entry = addressFailures.get(ip);
    if (entry && now().getTime() - entry.since <= ADDRESS_FAILURES.minutes * 60_000) entry.count += 1;
    else addressFailures.set(ip, { count: 1, since: now().getTime() });
  }

  /** Has this address signed in to the account lately (the officer's own PC)? Read from the audit log. */
  async function isKnownAddress(accountId: number, ip: string | null) {
    if (!ip) return false;
    const since = new Date(now().getTime() - LOCKOUT.knownDays * 86_400_000);
    return hasActedFrom(db, { actorId: accountId, action: 'auth.login', ip, since });
  }

  async function audit(accountId: number | null, action: string, origin: RequestOrigin, details = {}) {
    await recordAudit(db, {
      actorId: accountId,
      action,
      entity: 'staff_account',
      entityId: accountId ?? 0,
      unitCode: null,
      details,
      requestId: origin.requestId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      at: now(),
    });
  }

  async function openSession(accountId: number) {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now().getTime() + options.sessionTtlHours * 3_600_000);
    await db
      .insertInto('staff_session')
      .values({
        token_hash: hashToken(token),
        account_id: accountId,
        expires_at: expiresAt,
        csrf_token: csrfToken,
      })
      .execute();
    return { token, csrfToken, expiresAt };
  }

  return {
    /**
     * Checks the password and opens a server-side session. An address with too many wrong passwords is
     * refused for a while (RATE_LIMITED); an account with LOCKOUT.attempts wrong passwords in a row is
     * held back for a growing delay. Neither holds back an address that signed in to the account lately.
     */
    async login(username: string, password: string, origin: RequestOrigin) {
      const account = await db
        .selectFrom('staff_account')
        .select(['id', 'password_hash', 'active', 'failed_logins', 'locked_until'])
        .where('username', '=', username.trim().toLowerCase())
        .executeTakeFirst();
      // A commune's PCs often share one address: the one that signed in to this account lately still may.
      const known = account ? await isKnownAddress(account.id, origin.ip) : false;
      if (isAddressOverBudget(origin.ip) && !known) throw new AppError('RATE_LIMITED');
      if (!account) {
        decoyHash ??= hash('decoy-password-never-used');
        await verify(await decoyHash, password);
        countAddressFailure(origin.ip);
        throw new AppError('INVALID_CREDENTIALS');
      }
      const at = now();
      if (account.locked_until && account.locked_until > at && !known) {
        countAddressFailure(origin.ip); // hammering a held-back account spends the address's budget too
        const minutes = Math.ceil((account.locked_until.getTime() - at.getTime()) / 60_000);
        throw new AppError('ACCOUNT_LOCKED', { minutes });
      }
      if (!(await verify(account.password_hash, password)) || !account.active) {
        countAddressFailure(origin.ip);
        // Counted in the row itself: parallel wrong guesses each add one, none is lost. The count runs on
        // until a right password, so each wrong one past the limit doubles the delay.
        const counted = await db
          .updateTable('staff_account')
          .set({ failed_logins: sql`failed_logins + 1` })
          .where('id', '=', account.id)
          .returning(['failed_logins'])
          .executeTakeFirstOrThrow();
        const failures = counted.failed_logins;
        const lock = failures >= LOCKOUT.attempts;
        if (lock) {
          const until = new Date(at.getTime() + throttleDelayMs(failures));
          await db
            .updateTable('staff_account')
            .set({ locked_until: until })
            .where('id', '=', account.id)
            .execute();
          await audit(account.id, 'auth.locked', origin, { failures });
          throw new AppError('ACCOUNT_LOCKED', { minutes: Math.ceil(throttleDelayMs(failures) / 60_000) });
        }
        await audit(account.id, 'auth.login_failed', origin, { failures });
        throw new AppError('INVALID_CREDENTIALS');
      }
      if (account.failed_logins > 0 || account.locked_until) {
        await db
          .updateTable('staff_account')
          .set({ failed_logins: 0, locked_until: null })
          .where('id', '=', account.id)
          .execute();
      }
      await audit(account.id, 'auth.login', origin);
      return openSession(account.id);
    },

    async logout(token: string) {
      await db.deleteFrom('staff_session').where('token_hash', '=', hashToken(token)).execute();
    },

    /** Changes the password after checking the current one; every other session of the account ends. */
    async changePassword(
      staff: StaffPrincipal,
      currentToken: string,
      current: string,
      next: string,
      origin: RequestOrigin,
    ) {
      const account = await db
        .selectFrom('staff_account')
        .select(['password_hash'])
        .where('id', '=', staff.id)
        .executeTakeFirstOrThrow();
      if (!(await verify(account.password_hash, current))) throw new AppError('CURRENT_PASSWORD_WRONG');
      if (next === current) {
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          { 'body.newPassword': 'Mật khẩu mới phải khác mật khẩu cũ' },
        );
      }
      if (next.toLowerCase().includes(staff.username.toLowerCase())) {
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          { 'body.newPassword': 'Mật khẩu không được chứa tên đăng nhập' },
        );
      }
      const passwordHash = await hash(next);
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('staff_account')
          .set({ password_hash: passwordHash, password_changed_at: now() })
          .where('id', '=', staff.id)
          .execute();
        await trx
          .deleteFrom('staff_session')
          .where('account_id', '=', staff.id)
          .where('token_hash', '!=', hashToken(currentToken))
          .execute();
        await recordAudit(trx, {
          actorId: staff.id,
          action: 'auth.password_changed',
          entity: 'staff_account',
          entityId: staff.id,
          unitCode: null,
          requestId: origin.requestId,
          ip: origin.ip,
          userAgent: origin.userAgent,
        });
      });
    },

    async findSession(token: string): Promise<StaffSession | null> {
      const row = await db
        .selectFrom('staff_session as s')
        .innerJoin('staff_account as a', 'a.id', 's.account_id')
        // The account's unit in force gives its province in the same query ('VN' matches no unit).
        .leftJoin('admin_unit as u', (join) =>
          join.onRef('u.code', '=', 'a.unit_code').on('u.valid_to', 'is', null),
        )
        .select([
          'a.id',
          'a.username',
          'a.full_name',
          'a.role',
          'a.unit_code',
          'u.province_code',
          's.csrf_token',
        ])
        .where('s.token_hash', '=', hashToken(token))
        .where('s.expires_at', '>', now())
        .where('a.active', '=', true)
        .executeTakeFirst();
      if (!row) return null;
      return {
        principal: {
          id: row.id,
          username: row.username,
          fullName: row.full_name,
          role: row.role as StaffRole,
          unitCode: row.unit_code,
          // A province's own row carries its code as province_code; 'VN' matches no unit: null.
          provinceCode: row.province_code,
        },
        csrfToken: row.csrf_token,
      };
    },

    /**
     * The active officers of the caller's own commune who handle dossiers, for picking whom to assign:
     * filtered by role and by name (diacritics optional), in Vietnamese alphabetical order, paged.
     */
    async listColleagues(
      staff: StaffPrincipal,
      query: { role?: StaffRole; q?: string; unit?: string; page: number; pageSize: number },
    ): Promise<StaffList> {
      if (!COMMUNE_HANDLING_ROLES.has(staff.role)) throw new AppError('FORBIDDEN');
      // Another commune (the route checked it is of the caller's province): a centre routes a dossier
      // it received to the officers of the commune competent to decide it.
      const unitCode = query.unit ?? staff.unitCode;
      const rows = await db
        .selectFrom('staff_account')
        .select(['id', 'full_name', 'role'])
        .where('unit_code', '=', unitCode)
        .where('active', '=', true)
        .where('role', 'in', [...COMMUNE_HANDLING_ROLES])
        .execute();
      // Every word typed, in any order: "duc nguyen" finds Nguyễn Văn Đức.
      const words = query.q ? foldVietnamese(query.q).split(' ').filter(Boolean) : [];
      const matching = rows
        .filter(
          (r) =>
            (!query.role || r.role === query.role) &&
            words.every((w) => foldVietnamese(r.full_name).includes(w)),
        )
        .sort((a, b) => VIETNAMESE.compare(a.full_name, b.full_name));
      const start = (query.page - 1) * query.pageSize;
      return {
        items: matching.slice(start, start + query.pageSize).map((r) => ({
          id: r.id,
          fullName: r.full_name,
          role: r.role as StaffRole,
          roleName: ROLE_TITLES_VI[r.role as StaffRole],
        })),
        total: matching.length,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    /** An active officer by id, with their role and unit (e.g. the one an assignment names); else null. */
    async findActiveStaff(id: number): Promise<{ id: number; role: StaffRole; unitCode: string } | null> {
      const row = await db
        .selectFrom('staff_account')
        .select(['id', 'role', 'unit_code'])
        .where('id', '=', id)
        .where('active', '=', true)
        .executeTakeFirst();
      return row ? { id: row.id, role: row.role as StaffRole, unitCode: row.unit_code } : null;
    },

    /** Names of staff accounts by id, for documents that name who did what (control slip, receipts). */
    async listNames(ids: readonly number[]): Promise<Map<number, string>> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      const rows = await db
        .selectFrom('staff_account')
        .select(['id', 'full_name'])
        .where('id', 'in', unique)
        .execute();
      return new Map(rows.map((r) => [r.id, r.full_name]));
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
