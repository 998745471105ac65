import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

export function createResultsRepository() {
  return {
    /** The next number of a unit's book for the year; the counter row stays locked until commit. */
    async allocateNumber(trx: Transaction<DB>, unitCode: string, book: string, year: number) {
      const row = await trx
        .insertInto('document_number_counter')
        .values({ unit_code: unitCode, book, year, last_number: 1 })
        .onConflict((oc) =>
          oc
            .columns(['unit_code', 'book', 'year'])
            .doUpdateSet({ last_number: sql`document_number_counter.last_number + 1` }),
        )
        .returning('last_number')
        .executeTakeFirstOrThrow();
      return row.last_number;
    },

    async insertIssue(
      trx: Transaction<DB>,
      issue: {
        documentId: number;
        dossierId: number;
        dossierCode: string;
        unitCode: string;
        book: string;
        year: number;
        number: number;
        kind: string;
        signedBy: number;
        officerCredentialId: number;
        sealCredentialId: number;
        issuedAt: Date;
      },
    ) {
      await trx
        .insertInto('result_issue')
        .values({
          document_id: issue.documentId,
          dossier_id: issue.dossierId,
          dossier_code: issue.dossierCode,
          unit_code: issue.unitCode,
          book: issue.book,
          year: issue.year,
          number: issue.number,
          kind: issue.kind,
          signed_by: issue.signedBy,
          officer_credential_id: issue.officerCredentialId,
          seal_credential_id: issue.sealCredentialId,
          issued_at: issue.issuedAt,
        })
        .execute();
    },

    /** The results issued for a dossier, newest first. */
    listByDossier(db: Db, dossierId: number) {
      return db
        .selectFrom('result_issue as r')
        .innerJoin('document as d', 'd.id', 'r.document_id')
        .select(['r.document_id', 'r.issued_at', 'd.sha256'])
        .where('r.dossier_id', '=', dossierId)
        .orderBy('r.issued_at', 'desc')
        .orderBy('r.document_id', 'desc')
        .execute();
    },

    /** The results of a dossier by its public code, for the verification page its QR code opens. */
    listByDossierCode(db: Db, code: string) {
      return db
        .selectFrom('result_issue as r')
        .innerJoin('document as d', 'd.id', 'r.document_id')
        .select([
          'r.document_id',
          'r.book',
          'r.year',
          'r.number',
          'r.issued_at',
          'd.sha256',
          'd.name',
          'r.dossier_code',
        ])
        .where('r.dossier_code', '=', code)
        .orderBy('r.issued_at', 'desc')
        .execute();
    },

    /** The dossier a stored result with these exact bytes belongs to, if any. */
    findCodeBySha256(db: Db, sha256: string) {
      return db
        .selectFrom('document as d')
        .innerJoin('result_issue as r', 'r.document_id', 'd.id')
        .select(['r.dossier_code', 'r.issued_at'])
        .where('d.sha256', '=', sha256)
        .executeTakeFirst();
    },
  };
}
