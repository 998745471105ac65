import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { CitizenPrincipal } from '../../../core/identity/citizen.ts';
import type { DB, DraftFile } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { RequestOrigin } from '../identity/identity.service.ts';
import type { CitizenClaims } from './vneid-client.ts';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

type AccountRow = {
  id: number;
  citizen_id: string;
  full_name: string;
  date_of_birth: string | Date | null;
  level: number;
  phone: string | null;
  email: string | null;
  address: string | null;
};

function toPrincipal(a: AccountRow): CitizenPrincipal {
  const dob = a.date_of_birth instanceof Date ? a.date_of_birth.toISOString().slice(0, 10) : a.date_of_birth;
  return {
    id: a.id,
    citizenId: a.citizen_id,
    fullName: a.full_name,
    dateOfBirth: dob,
    level: a.level === 2 ? 2 : 1,
    phone: a.phone,
    email: a.email,
    address: a.address,
  };
}

/** Citizens' accounts (as VNeID vouches for them), their sessions, and their drafts. */
export function createCitizensService(db: Kysely<DB>, options: { sessionTtlHours: number }) {
  return {
    /** Records the sign-in (the level and details as VNeID says now) and opens a session. */
    async signIn(claims: CitizenClaims, origin: RequestOrigin) {
      return db.transaction().execute(async (trx) => {
        const values = {
          citizen_id: claims.citizenId,
          full_name: claims.fullName,
          date_of_birth: claims.dateOfBirth,
          level: claims.level,
          phone: claims.phone,
          email: claims.email,
          address: claims.address,
          last_sign_in_at: new Date(),
        };
        const account = await trx
          .insertInto('citizen_account')
          .values({ issuer: claims.issuer, subject: claims.subject, ...values })
          .onConflict((oc) => oc.columns(['issuer', 'subject']).doUpdateSet(values))
          .returning(['id'])
          .executeTakeFirstOrThrow();
        const token = randomBytes(32).toString('base64url');
        const csrfToken = randomBytes(24).toString('base64url');
        const expiresAt = new Date(Date.now() + options.sessionTtlHours * 3_600_000);
        await trx
          .insertInto('citizen_session')
          .values({
            token_hash: hashToken(token),
            citizen_account_id: account.id,
            csrf_token: csrfToken,
            expires_at: expiresAt,
          })
          .execute();
        await recordAudit(trx, {
          actorId: null,
          action: 'citizen.sign-in',
          entity: 'citizen',
          entityId: claims.citizenId,
          unitCode: null,
          details: { account: account.id, level: claims.level, issuer: claims.issuer },
          requestId: origin.requestId,
          ip: origin.ip,
          userAgent: origin.userAgent,
        });
        return { token, csrfToken, expiresAt };
      });
    },

    async findSession(token: string): Promise<{ citizen: CitizenPrincipal; csrfToken: string } | null> {
      if (!token) return null;
      const row = await db
        .selectFrom('citizen_session as s')
        .innerJoin('citizen_account as a', 'a.id', 's.citizen_account_id')
        .select([
          'a.id',
          'a.citizen_id',
          'a.full_name',
          'a.date_of_birth',
          'a.level',
          'a.phone',
          'a.email',
          'a.address',
          's.csrf_token',
          's.expires_at',
        ])
        .where('s.token_hash', '=', hashToken(token))
        .executeTakeFirst();
      if (!row || new Date(row.expires_at) <= new Date()) return null;
      return { citizen: toPrincipal(row as AccountRow), csrfToken: row.csrf_token };
    },

    /**
     * The phone number VNeID gave for this personal ID at the latest sign-in that carried one: the only
     * number a consent code may go to (a number typed at the counter could be anyone's).
     */
    async findVerifiedPhone(citizenId: string): Promise<string | null> {
      const row = await db
        .selectFrom('citizen_account')
        .select('phone')
        .where('citizen_id', '=', citizenId)
        .where('phone', 'is not', null)
        .orderBy('last_sign_in_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row?.phone ?? null;
    },

    async signOut(token: string) {
      await db.deleteFrom('citizen_session').where('token_hash', '=', hashToken(token)).execute();
    },

    async listDrafts(citizen: CitizenPrincipal) {
      return db
        .selectFrom('citizen_draft as d')
        .leftJoin('procedure_version as p', (j) =>
          j
            .onRef('p.code', '=', 'd.procedure_code')
            .on('p.status', '=', 'published')
            .on('p.scope', '=', 'VN'),
        )
        .select(['d.procedure_code', 'p.name', 'd.updated_at'])
        .where('d.citizen_account_id', '=', citizen.id)
        .orderBy('d.updated_at', 'desc')
        .execute();
    },

    async getDraft(citizen: CitizenPrincipal, procedureCode: string) {
      const row = await db
        .selectFrom('citizen_draft')
        .select(['procedure_code', 'data', 'files', 'updated_at'])
        .where('citizen_account_id', '=', citizen.id)
        .where('procedure_code', '=', procedureCode)
        .executeTakeFirst();
      return row ?? null;
    },

    /** Saves what was typed; the files stay as they are. */
    async saveDraft(citizen: CitizenPrincipal, procedureCode: string, data: Record<string, unknown>) {
      await db
        .insertInto('citizen_draft')
        .values({
          citizen_account_id: citizen.id,
          procedure_code: procedureCode,
          data: JSON.stringify(data),
          files: '{}',
        })
        .onConflict((oc) =>
          oc
            .columns(['citizen_account_id', 'procedure_code'])
            .doUpdateSet({ data: JSON.stringify(data), updated_at: new Date() }),
        )
        .execute();
    },

    /**
     * One file per component: a new upload replaces the last one. One statement, so two uploads at the
     * same moment for different components both stay.
     */
    async setDraftFile(
      citizen: CitizenPrincipal,
      procedureCode: string,
      componentKey: string,
      file: DraftFile | null,
    ) {
      const entry = JSON.stringify(file ? { [componentKey]: file } : {});
      await db
        .insertInto('citizen_draft')
        .values({ citizen_account_id: citizen.id, procedure_code: procedureCode, data: '{}', files: entry })
        .onConflict((oc) =>
          oc.columns(['citizen_account_id', 'procedure_code']).doUpdateSet({
            files: file
              ? sql<string>`citizen_draft.files || ${entry}::jsonb`
              : sql<string>`citizen_draft.files - ${componentKey}::text`,
            updated_at: new Date(),
          }),
        )
        .execute();
    },

    async deleteDraft(citizen: CitizenPrincipal, procedureCode: string, trx: Kysely<DB> = db) {
      await trx
        .deleteFrom('citizen_draft')
        .where('citizen_account_id', '=', citizen.id)
        .where('procedure_code', '=', procedureCode)
        .execute();
    },

    /** The draft's files for a submission; none uploaded is an empty set (required ones are checked later). */
    async draftFiles(citizen: CitizenPrincipal, procedureCode: string): Promise<Record<string, DraftFile>> {
      const draft = await this.getDraft(citizen, procedureCode);
      if (!draft) return {};
      return draft.files;
    },
  };
}

export type CitizensService = ReturnType<typeof createCitizensService>;
