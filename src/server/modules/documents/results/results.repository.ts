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

    /**
     * After a restore: every current commune's book of each given name moves on by `gap` for each year
     * of the window, the skipped numbers recorded as void under the epoch (as for dossier codes).
     */
    async skipBookNumbersAfterRestore(
      trx: Transaction<DB>,
      window: { fromYear: number; toYear: number; books: string[]; gap: number; epoch: number },
    ): Promise<number> {
      const { rows } = await sql<{ moved: number }>`
        with planned as (
          select u.code as unit_code, b.book, y.year::int as year, coalesce(c.last_number, 0) as old_number,
                 coalesce(c.last_number, 0) + ${window.gap}::int as new_number
          from (select distinct code from admin_unit where level = 'commune' and valid_to is null) u
          cross join unnest(${sql.val(window.books)}::text[]) as b(book)
          cross join generate_series(${window.fromYear}::int, ${window.toYear}::int) as y(year)
          left join document_number_counter c
            on c.unit_code = u.code and c.book = b.book and c.year = y.year
        ),
        moved as (
          insert into document_number_counter (unit_code, book, year, last_number)
          select unit_code, book, year, new_number from planned
          on conflict (unit_code, book, year) do update set last_number = excluded.last_number
          returning 1
        ),
        voids as (
          insert into number_void (kind, unit_code, scope, from_seq, to_seq, reason, epoch)
          select 'book_number', unit_code, book || '/' || year, old_number + 1, new_number,
                 'restore', ${window.epoch}::int
          from planned
          returning 1
        )
        select (select count(*) from moved)::int as moved, (select count(*) from voids)::int as voids`.execute(
        trx,
      );
      return rows[0]?.moved ?? 0;
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
