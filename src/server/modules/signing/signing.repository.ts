import { X509Certificate } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, SigningCredentialTable } from '../../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;
export type CredentialRow = Selectable<SigningCredentialTable>;

/** What a stored certificate says of itself, for the credential row. */
export function certificateFacts(der: Uint8Array) {
  const cert = new X509Certificate(der);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    serial_number: cert.serialNumber,
    not_before: new Date(cert.validFrom),
    not_after: new Date(cert.validTo),
  };
}

export type NewCredential = {
  kind: 'officer' | 'seal';
  accountId: number | null;
  unitCode: string;
  pkcs12: Buffer;
  certificate: Buffer;
  createdBy: number | null;
};

export function createSigningRepository() {
  return {
    /** Stores a credential and retires the one it replaces (one active per officer, one seal per unit). */
    async replaceCredential(trx: Transaction<DB>, c: NewCredential) {
      let retire = trx.updateTable('signing_credential').set({ active: false }).where('active', '=', true);
      retire =
        c.kind === 'officer'
          ? retire.where('kind', '=', 'officer').where('account_id', '=', c.accountId)
          : retire.where('kind', '=', 'seal').where('unit_code', '=', c.unitCode);
      await retire.execute();
      return trx
        .insertInto('signing_credential')
        .values({
          kind: c.kind,
          account_id: c.accountId,
          unit_code: c.unitCode,
          provider: 'pkcs12',
          pkcs12: c.pkcs12,
          certificate: c.certificate,
          ...certificateFacts(c.certificate),
          created_by: c.createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    },

    findOfficerCredential(
      db: Db,
      accountId: number,
      options: { forUpdate?: boolean } = {},
    ): Promise<CredentialRow | undefined> {
      let query = db
        .selectFrom('signing_credential')
        .selectAll()
        .where('kind', '=', 'officer')
        .where('account_id', '=', accountId)
        .where('active', '=', true);
      if (options.forUpdate) query = query.forUpdate();
      return query.executeTakeFirst();
    },

    findSealCredential(db: Db, unitCode: string): Promise<CredentialRow | undefined> {
      return db
        .selectFrom('signing_credential')
        .selectAll()
        .where('kind', '=', 'seal')
        .where('unit_code', '=', unitCode)
        .where('active', '=', true)
        .executeTakeFirst();
    },

    /** The officer holds the row lock (findOfficerCredential forUpdate) while this is decided. */
    async setPinFailures(db: Db, id: number, failed: number, lockedUntil: Date | null) {
      await db
        .updateTable('signing_credential')
        .set({ failed_pins: failed, locked_until: lockedUntil })
        .where('id', '=', id)
        .execute();
    },

    listAuthorities(db: Db) {
      return db
        .selectFrom('certificate_authority')
        .select(['id', 'name', 'certificate', 'fingerprint_sha256', 'demo', 'created_at'])
        .orderBy('id')
        .execute();
    },

    findDemoAuthority(db: Db) {
      return db
        .selectFrom('certificate_authority')
        .select(['id', 'certificate', 'pkcs12'])
        .where('demo', '=', true)
        .where('pkcs12', 'is not', null)
        .orderBy('id', 'desc')
        .executeTakeFirst();
    },

    async insertAuthority(
      db: Db,
      a: {
        name: string;
        certificate: Buffer;
        pkcs12: Buffer | null;
        demo: boolean;
        createdBy: number | null;
      },
    ) {
      const fingerprint = new X509Certificate(a.certificate).fingerprint256;
      return db
        .insertInto('certificate_authority')
        .values({
          name: a.name,
          certificate: a.certificate,
          fingerprint_sha256: fingerprint,
          pkcs12: a.pkcs12,
          demo: a.demo,
          created_by: a.createdBy,
        })
        .onConflict((oc) => oc.column('fingerprint_sha256').doNothing())
        .returning('id')
        .executeTakeFirst();
    },
  };
}
