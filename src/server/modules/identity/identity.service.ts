import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import type { StaffPrincipal, StaffRole } from '../../../core/identity/roles.ts';
import type { DB } from '../../db/schema.ts';

// A fixed hash to verify against when the user name is unknown, so timing does not reveal which names exist.
let decoyHash: Promise<string> | undefined;

function hashToken(token: string) {
  return createHash('sha256').update(token).digest('hex');
}

export function createIdentityService(db: Kysely<DB>, options: { sessionTtlHours: number }) {
  return {
    /** Checks the password and opens a server-side session; returns the token for the cookie. */
    async login(username: string, password: string): Promise<{ token: string; expiresAt: Date }> {
      const account = await db
        .selectFrom('staff_account')
        .select(['id', 'password_hash', 'active'])
        .where('username', '=', username.trim().toLowerCase())
        .executeTakeFirst();
      if (!account) {
        decoyHash ??= hash('decoy-password-never-used');
        await verify(await decoyHash, password);
        throw new AppError('INVALID_CREDENTIALS');
      }
      if (!(await verify(account.password_hash, password)) || !account.active) {
        throw new AppError('INVALID_CREDENTIALS');
      }
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(Date.now() + options.sessionTtlHours * 3_600_000);
      await db
        .insertInto('staff_session')
        .values({ token_hash: hashToken(token), account_id: account.id, expires_at: expiresAt })
        .execute();
      return { token, expiresAt };
    },

    async logout(token: string) {
      await db.deleteFrom('staff_session').where('token_hash', '=', hashToken(token)).execute();
    },

    async findPrincipal(token: string): Promise<StaffPrincipal | null> {
      const row = await db
        .selectFrom('staff_session as s')
        .innerJoin('staff_account as a', 'a.id', 's.account_id')
        // The account's unit in force gives its province in the same query ('VN' matches no unit).
        .leftJoin('admin_unit as u', (join) =>
          join.onRef('u.code', '=', 'a.unit_code').on('u.valid_to', 'is', null),
        )
        .select(['a.id', 'a.username', 'a.full_name', 'a.role', 'a.unit_code', 'u.province_code'])
        .where('s.token_hash', '=', hashToken(token))
        .where('s.expires_at', '>', new Date())
        .where('a.active', '=', true)
        .executeTakeFirst();
      if (!row) return null;
      return {
        id: row.id,
        username: row.username,
        fullName: row.full_name,
        role: row.role as StaffRole,
        unitCode: row.unit_code,
        provinceCode: row.province_code,
      };
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
