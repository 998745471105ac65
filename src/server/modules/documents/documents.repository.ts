import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, DocumentTable } from '../../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;
export type DocumentRow = Selectable<DocumentTable> & {
  media_type: string;
  size_bytes: string;
  pages: number | null;
  created_by_name: string | null;
};

export type NewDocument = {
  sha256: string;
  citizenId: string;
  dossierId: number;
  componentKey: string;
  name: string;
  digitization: 'digitized' | 'reused' | 'reused_result';
  reusedFrom: number | null;
  unitCode: string;
  createdBy: number | null;
  /** The citizen who uploaded it themselves, online. */
  createdByCitizen?: number | null;
};

export function createDocumentsRepository() {
  const withFile = (db: Db) =>
    db
      .selectFrom('document as d')
      .innerJoin('stored_file as f', 'f.sha256', 'd.sha256')
      .leftJoin('staff_account as a', 'a.id', 'd.created_by')
      .selectAll('d')
      .select(['f.media_type', 'f.size_bytes', 'f.pages', 'a.full_name as created_by_name']);

  return {
    /** Every stored file's digest, in pages (a restore checks each against its bytes). */
    async listStoredDigests(db: Db, after: string, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('stored_file')
        .select('sha256')
        .where('sha256', '>', after)
        .orderBy('sha256')
        .limit(limit)
        .execute();
      return rows.map((r) => r.sha256);
    },

    async saveFile(db: Db, f: { sha256: string; size: number; mediaType: string; pages: number }) {
      await db
        .insertInto('stored_file')
        .values({
          sha256: f.sha256,
          size_bytes: f.size,
          media_type: f.mediaType as 'application/pdf',
          pages: f.pages,
        })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    },

    /** Inserts the document, or returns the one already there for the same bytes on the same component. */
    async insertDocument(db: Db, d: NewDocument): Promise<{ id: number; created: boolean }> {
      const inserted = await db
        .insertInto('document')
        .values({
          sha256: d.sha256,
          citizen_id: d.citizenId,
          dossier_id: d.dossierId,
          component_key: d.componentKey,
          name: d.name,
          digitization: d.digitization,
          reused_from: d.reusedFrom,
          unit_code: d.unitCode,
          created_by: d.createdBy,
          created_by_citizen: d.createdByCitizen ?? null,
        })
        .onConflict((oc) =>
          oc
            .columns(['dossier_id', 'component_key', 'sha256'])
            .where('dossier_id', 'is not', null)
            .where('is_result', '=', false)
            .doNothing(),
        )
        .returning('id')
        .executeTakeFirst();
      if (inserted) return { id: inserted.id, created: true };
      const existing = await db
        .selectFrom('document')
        .select('id')
        .where('dossier_id', '=', d.dossierId)
        .where('component_key', '=', d.componentKey)
        .where('sha256', '=', d.sha256)
        .executeTakeFirstOrThrow();
      return { id: existing.id, created: false };
    },

    /** A result of the dossier: it joins the citizen's store as a past result (reusable later). */
    async insertResultDocument(
      db: Db,
      d: {
        sha256: string;
        citizenId: string;
        dossierId: number;
        name: string;
        unitCode: string;
        createdBy: number;
      },
    ) {
      const row = await db
        .insertInto('document')
        .values({
          sha256: d.sha256,
          citizen_id: d.citizenId,
          dossier_id: d.dossierId,
          component_key: null,
          name: d.name,
          digitization: 'digitized',
          reused_from: null,
          is_result: true,
          unit_code: d.unitCode,
          created_by: d.createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    findById(db: Db, id: number): Promise<DocumentRow | undefined> {
      return withFile(db).where('d.id', '=', id).executeTakeFirst();
    },

    listByDossier(db: Db, dossierId: number): Promise<DocumentRow[]> {
      return withFile(db).where('d.dossier_id', '=', dossierId).orderBy('d.id').execute();
    },

    /** The personal store: the citizen's papers, newest first, one row per distinct file. */
    async listByCitizen(db: Db, citizenId: string, page: number, pageSize: number) {
      // Originals only: a reuse points at a paper already listed.
      const { total } = await db
        .selectFrom('document as d')
        .where('d.citizen_id', '=', citizenId)
        .where('d.digitization', '=', 'digitized')
        .select((eb) => eb.fn.count<string>('d.id').as('total'))
        .executeTakeFirstOrThrow();
      const items = await withFile(db)
        .where('d.citizen_id', '=', citizenId)
        .where('d.digitization', '=', 'digitized')
        .orderBy('d.created_at', 'desc')
        .orderBy('d.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return { items, total: Number(total) };
    },
  };
}

export type DocumentsRepository = ReturnType<typeof createDocumentsRepository>;
