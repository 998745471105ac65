import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { PROCEDURE_FIELDS, ProcedureDefinition } from '../../../core/catalog/procedure.schemas.ts';
import { AppError } from '../../../core/errors.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import type { DB } from '../../db/schema.ts';
import { REFERENCE_DIR } from '../../paths.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Actor } from '../identity/identity.service.ts';
import { createCatalogRepository, type ProcedureVersionRow } from './catalog.repository.ts';

export const PROCEDURES_FILE = path.join(REFERENCE_DIR, 'procedures', 'procedures.json');

const collator = new Intl.Collator('vi');

/** Who may write the catalogue: procedures are published by the province (and the system administrator). */
function canEditCatalogue(staff: StaffPrincipal) {
  return staff.role === 'system_admin' || staff.role === 'province_admin';
}

export function summarize(row: ProcedureVersionRow) {
  const p = row.definition;
  return {
    code: p.code,
    name: p.name,
    field: p.field,
    fieldName: PROCEDURE_FIELDS[p.field],
    competentAgency: p.competentAgency,
    duration: p.duration,
    onlineLevel: p.onlineLevel,
    vneidLevel: p.vneidLevel,
    hasFees: p.fees.some((f) => f.amountVnd > 0),
    interAgency: p.interAgency !== null,
    version: row.version,
  };
}

export function createCatalogService(db: Kysely<DB>) {
  const repo = createCatalogRepository(db);
  // A version never changes once written (drafts aside, and dossiers only use published ones).
  const versions = new Map<number, ProcedureVersionRow>();
  const published = new Map<string, { at: number; row: ProcedureVersionRow }>();
  const PUBLISHED_TTL_MS = 60_000;

  return {
    async searchProcedures(query: {
      q?: string;
      field?: string;
      onlineLevel?: string;
      page: number;
      pageSize: number;
    }) {
      const rows = await repo.listPublished(query);
      rows.sort((a, b) => collator.compare(a.definition.name, b.definition.name));
      const start = (query.page - 1) * query.pageSize;
      return {
        items: rows.slice(start, start + query.pageSize).map(summarize),
        total: rows.length,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    /** The version in force for new dossiers (cached briefly; a publish in this process drops it). */
    async getPublished(code: string): Promise<ProcedureVersionRow> {
      const hit = published.get(code);
      if (hit && Date.now() - hit.at < PUBLISHED_TTL_MS) return hit.row;
      const row = await repo.findPublished(code);
      if (!row) throw new AppError('PROCEDURE_NOT_FOUND', { code });
      published.set(code, { at: Date.now(), row });
      return row;
    },

    async getVersion(id: number): Promise<ProcedureVersionRow> {
      const hit = versions.get(id);
      if (hit) return hit;
      const row = await repo.findVersionById(id);
      if (!row) throw new AppError('PROCEDURE_NOT_FOUND', { code: `#${id}` });
      if (row.status !== 'draft') versions.set(id, row);
      return row;
    },

    async listVersions(staff: StaffPrincipal, code: string) {
      if (!canEditCatalogue(staff)) throw new AppError('FORBIDDEN');
      const rows = await repo.listVersions(code);
      if (rows.length === 0) throw new AppError('PROCEDURE_NOT_FOUND', { code });
      return rows.map((r) => ({
        version: r.version,
        status: r.status,
        publishedAt: r.publishedAt,
        definition: r.definition,
      }));
    },

    /** A new draft version (version 1 for a new code). */
    async createVersion(actor: Actor, definition: ProcedureDefinition) {
      if (!canEditCatalogue(actor.staff)) throw new AppError('FORBIDDEN');
      return db.transaction().execute(async (trx) => {
        const created = await repo.insertVersion(trx, definition, actor.staff.id, false);
        await recordAudit(trx, {
          actorId: actor.staff.id,
          action: 'procedure.create_version',
          entity: 'procedure',
          entityId: definition.code,
          unitCode: null,
          details: { version: created.version, name: definition.name },
          ...actor,
        });
        return { code: definition.code, version: created.version, status: 'draft' as const };
      });
    },

    async publishVersion(actor: Actor, code: string, version: number) {
      if (!canEditCatalogue(actor.staff)) throw new AppError('FORBIDDEN');
      return db
        .transaction()
        .execute(async (trx) => {
          const done = await repo.publish(trx, code, version, actor.staff.id);
          if (!done) throw new AppError('PROCEDURE_NOT_FOUND', { code: `${code} (bản nháp ${version})` });
          await recordAudit(trx, {
            actorId: actor.staff.id,
            action: 'procedure.publish',
            entity: 'procedure',
            entityId: code,
            unitCode: null,
            details: { version },
            ...actor,
          });
          return { code, version, status: 'published' as const };
        })
        .finally(() => published.delete(code));
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;

/** Loads the shipped catalogue once (version 1 of each procedure, published); false when already there. */
export async function loadReferenceProcedures(db: Kysely<DB>): Promise<boolean> {
  const key = 'reference.procedures';
  if (await db.selectFrom('app_meta').select('key').where('key', '=', key).executeTakeFirst()) return false;
  const file = JSON.parse(await fs.readFile(PROCEDURES_FILE, 'utf8')) as { procedures: unknown[] };
  const procedures = file.procedures.map((p) => ProcedureDefinition.parse(p));
  const repo = createCatalogRepository(db);
  await db.transaction().execute(async (trx) => {
    for (const p of procedures) {
      if (
        !(await trx
          .selectFrom('procedure_version')
          .select('id')
          .where('code', '=', p.code)
          .executeTakeFirst())
      ) {
        await repo.insertVersion(trx, p, null, true);
      }
    }
    await trx
      .insertInto('app_meta')
      .values({ key, value: JSON.stringify({ procedures: procedures.length }) })
      .execute();
  });
  return true;
}
