import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { type Kysely, sql } from 'kysely';
import { COMMUNE_HANDLING_ROLES } from '../../../core/dossiers/dossier-actions.ts';
import { AppError } from '../../../core/errors.ts';
import { ROLE_TITLES_VI, type StaffPrincipal, type StaffRole } from '../../../core/identity/roles.ts';
import { foldVietnamese } from '../../../core/units/unit-names.ts';
import type { DB } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';

// A fixed hash to verify against when the user name is unknown, so timing does not reveal which names exist.
let decoyHash: Promise<string> | undefined;

/** Wrong passwords in a row before the account locks, and for how long. */
export const LOCKOUT = { attempts: 5, minutes: 15 };

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
     * Checks the password and opens a server-side session. After LOCKOUT.attempts wrong passwords in a
     * row the account is locked for LOCKOUT.minutes, whatever the password.
     */
    async login(username: string, password: string, origin: RequestOrigin) {
      const account = await db
        .selectFrom('staff_account')
        .select(['id', 'password_hash', 'active', 'failed_logins', 'locked_until'])
        .where('username', '=', username.trim().toLowerCase())
        .executeTakeFirst();
      if (!account) {
        decoyHash ??= hash('decoy-password-never-used');
        await verify(await decoyHash, password);
        throw new AppError('INVALID_CREDENTIALS');
      }
      const at = now();
      if (account.locked_until && account.locked_until > at) {
        const minutes = Math.ceil((account.locked_until.getTime() - at.getTime()) / 60_000);
        throw new AppError('ACCOUNT_LOCKED', { minutes });
      }
      if (!(await verify(account.password_hash, password)) || !account.active) {
        // Counted in the row itself: parallel wrong guesses each add one, none is lost.
        const lockUntil = new Date(at.getTime() + LOCKOUT.minutes * 60_000);
        const reachesLimit = sql<boolean>`failed_logins + 1 >= ${LOCKOUT.attempts}`;
        const counted = await db
          .updateTable('staff_account')
          .set({
            failed_logins: sql`case when ${reachesLimit} then 0 else failed_logins + 1 end`,
            locked_until: sql`case when ${reachesLimit} then ${lockUntil}::timestamptz else null end`,
          })
          .where('id', '=', account.id)
          .returning(['failed_logins', 'locked_until'])
          .executeTakeFirstOrThrow();
        const lock = counted.locked_until !== null;
        const failures = lock ? LOCKOUT.attempts : counted.failed_logins;
        await audit(account.id, lock ? 'auth.locked' : 'auth.login_failed', origin, { failures });
        if (lock) throw new AppError('ACCOUNT_LOCKED', { minutes: LOCKOUT.minutes });
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
      query: { role?: StaffRole; q?: string; page: number; pageSize: number },
    ) {
      if (!COMMUNE_HANDLING_ROLES.has(staff.role)) throw new AppError('FORBIDDEN');
      const rows = await db
        .selectFrom('staff_account')
        .select(['id', 'full_name', 'role'])
        .where('unit_code', '=', staff.unitCode)
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
