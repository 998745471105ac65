import type { Kysely, Transaction } from 'kysely';
import type { ProcedureDefinition } from '../../../core/catalog/procedure.schemas.ts';
import { foldVietnamese } from '../../../core/units/unit-names.ts';
import type { DB } from '../../db/schema.ts';

export type ProcedureVersionRow = {
  id: number;
  code: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  definition: ProcedureDefinition;
  publishedAt: Date | null;
  createdAt: Date;
  /** 'VN' (national) or the province code of a province variant. */
  scope: string;
};

type Db = Kysely<DB> | Transaction<DB>;

const COLUMNS = [
  'id',
  'code',
  'version',
  'status',
  'definition',
  'published_at',
  'created_at',
  'scope',
] as const;

function toRow(r: {
  id: number;
  code: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  definition: unknown;
  published_at: Date | null;
  created_at: Date;
  scope: string;
}): ProcedureVersionRow {
  return {
    id: r.id,
    code: r.code,
    version: r.version,
    status: r.status,
    definition: r.definition as ProcedureDefinition,
    publishedAt: r.published_at,
    createdAt: r.created_at,
    scope: r.scope,
  };
}

export function createCatalogRepository(db: Kysely<DB>) {
  return {
    /**
     * Published versions whose name (folded) or code matches, national ones and those of the given scopes;
     * the catalogue is small, so all of them.
     */
    async listPublished(filter: { q?: string; field?: string; onlineLevel?: string }, scopes: string[]) {
      let query = db
        .selectFrom('procedure_version')
        .select(COLUMNS)
        .where('status', '=', 'published')
        .where('scope', 'in', scopes);
      if (filter.q) {
        const folded = foldVietnamese(filter.q);
        query = query.where((eb) =>
          eb.or([
            eb('name_folded', 'like', `%${folded.replace(/[%_\\]/g, '\\$&')}%`),
            eb('code', '=', filter.q?.trim() ?? ''),
          ]),
        );
      }
      if (filter.field) query = query.where('field', '=', filter.field);
      if (filter.onlineLevel) query = query.where('online_level', '=', filter.onlineLevel);
      return (await query.execute()).map(toRow);
    },

    async findPublished(code: string, scope: string) {
      const row = await db
        .selectFrom('procedure_version')
        .select(COLUMNS)
        .where('code', '=', code)
        .where('scope', '=', scope)
        .where('status', '=', 'published')
        .executeTakeFirst();
      return row ? toRow(row) : null;
    },

    async findVersion(code: string, version: number) {
      const row = await db
        .selectFrom('procedure_version')
        .select(COLUMNS)
        .where('code', '=', code)
        .where('version', '=', version)
        .executeTakeFirst();
      return row ? toRow(row) : null;
    },

    async findVersionById(id: number) {
      const row = await db
        .selectFrom('procedure_version')
        .select(COLUMNS)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toRow(row) : null;
    },

    async listVersions(code: string) {
      const rows = await db
        .selectFrom('procedure_version')
        .select(COLUMNS)
        .where('code', '=', code)
        .orderBy('version', 'desc')
        .execute();
      return rows.map(toRow);
    },

    async insertVersion(
      trx: Db,
      definition: ProcedureDefinition,
      createdBy: number | null,
      publish: boolean,
      scope = 'VN',
    ) {
      const last = await trx
        .selectFrom('procedure_version')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('code', '=', definition.code)
        .executeTakeFirst();
      const version = Number(last?.v ?? 0) + 1;
      const inserted = await trx
        .insertInto('procedure_version')
        .values({
          code: definition.code,
          scope,
          version,
          status: publish ? 'published' : 'draft',
          name: definition.name,
          name_folded: foldVietnamese(definition.name),
          field: definition.field,
          online_level: definition.onlineLevel,
          definition: JSON.stringify(definition),
          created_by: createdBy,
          published_by: publish ? createdBy : null,
          published_at: publish ? new Date() : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: inserted.id, version };
    },

    /** Retires the published version of the code in the scope and publishes the given draft of that scope. */
    async publish(trx: Db, code: string, version: number, scope: string, by: number) {
      await trx
        .updateTable('procedure_version')
        .set({ status: 'retired' })
        .where('code', '=', code)
        .where('scope', '=', scope)
        .where('status', '=', 'published')
        .execute();
      return trx
        .updateTable('procedure_version')
        .set({ status: 'published', published_by: by, published_at: new Date() })
        .where('code', '=', code)
        .where('version', '=', version)
        .where('scope', '=', scope)
        .where('status', '=', 'draft')
        .returning('id')
        .executeTakeFirst();
    },

    /** Retires a published version (a province whose variant is retired falls back to the national one). */
    async retire(trx: Db, code: string, version: number) {
      return trx
        .updateTable('procedure_version')
        .set({ status: 'retired' })
        .where('code', '=', code)
        .where('version', '=', version)
        .where('status', '=', 'published')
        .returning('id')
        .executeTakeFirst();
    },
  };
}
