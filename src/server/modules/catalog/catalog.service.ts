import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type {
  ProcedureList,
  ProcedureSummary,
  ProcedureVersion,
  VersionChange,
} from '../../../core/catalog/catalog.schemas.ts';
import { PROCEDURE_FIELDS, ProcedureDefinition } from '../../../core/catalog/procedure.schemas.ts';
import {
  canManageCatalogueScope,
  canReadCatalogueVersions,
  defaultCatalogueScope,
  lockedFieldsChanged,
  NATIONAL_SCOPE,
} from '../../../core/catalog/procedure-scope.ts';
import { AppError } from '../../../core/errors.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import type { DB } from '../../db/schema.ts';
import { REFERENCE_DIR } from '../../paths.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Actor } from '../identity/identity.service.ts';
import { createCatalogRepository, type ProcedureVersionRow } from './catalog.repository.ts';

export const PROCEDURES_FILE = path.join(REFERENCE_DIR, 'procedures', 'procedures.json');

const collator = new Intl.Collator('vi');

/** Throws unless the person may write versions of the scope (a clear 403 naming whose scope it is). */
function assertScope(staff: StaffPrincipal, scope: string) {
  if (!canReadCatalogueVersions(staff)) throw new AppError('FORBIDDEN');
  if (!canManageCatalogueScope(staff, scope)) throw new AppError('CATALOGUE_SCOPE_FORBIDDEN', { scope });
}

export function summarize(row: ProcedureVersionRow): ProcedureSummary {
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
    scope: row.scope,
  };
}

export function createCatalogService(db: Kysely<DB>) {
  const repo = createCatalogRepository(db);
  // A version never changes once written (drafts aside, and dossiers only use published ones).
  const versions = new Map<number, ProcedureVersionRow>();
  // Keyed by code and province ('' for the national version alone); a variant's absence is cached too.
  const published = new Map<string, { at: number; row: ProcedureVersionRow }>();
  const PUBLISHED_TTL_MS = 60_000;
  const forget = (code: string) => {
    for (const key of published.keys()) if (key.startsWith(`${code}|`)) published.delete(key);
  };

  async function findPublishedFor(code: string, provinceCode: string | null) {
    if (provinceCode && provinceCode !== NATIONAL_SCOPE) {
      const variant = await repo.findPublished(code, provinceCode);
      if (variant) return variant;
    }
    return repo.findPublished(code, NATIONAL_SCOPE);
  }

  return {
    /** The published catalogue as the communes of a province see it (its variants over the national one). */
    async searchProcedures(query: {
      q?: string;
      field?: string;
      onlineLevel?: string;
      province?: string;
      page: number;
      pageSize: number;
    }): Promise<ProcedureList> {
      const found = await repo.listPublished(
        query,
        query.province ? [NATIONAL_SCOPE, query.province] : [NATIONAL_SCOPE],
      );
      const byCode = new Map<string, ProcedureVersionRow>();
      for (const row of found) {
        if (!byCode.has(row.code) || row.scope !== NATIONAL_SCOPE) byCode.set(row.code, row);
      }
      const rows = [...byCode.values()];
      rows.sort((a, b) => collator.compare(a.definition.name, b.definition.name));
      const start = (query.page - 1) * query.pageSize;
      return {
        items: rows.slice(start, start + query.pageSize).map(summarize),
        total: rows.length,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    /**
     * The version in force for new dossiers of a province's communes: the province's variant when it has
     * one, else the national version (cached briefly; a publish or retire in this process drops it).
     */
    async getPublished(code: string, provinceCode: string | null = null): Promise<ProcedureVersionRow> {
      const key = `${code}|${provinceCode ?? ''}`;
      const hit = published.get(key);
      if (hit && Date.now() - hit.at < PUBLISHED_TTL_MS) return hit.row;
      const row = await findPublishedFor(code, provinceCode);
      if (!row) throw new AppError('PROCEDURE_NOT_FOUND', { code });
      published.set(key, { at: Date.now(), row });
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

    /** Every version of a code: the national ones and, for a province administrator, its own variants. */
    async listVersions(staff: StaffPrincipal, code: string): Promise<ProcedureVersion[]> {
      if (!canReadCatalogueVersions(staff)) throw new AppError('FORBIDDEN');
      const rows = (await repo.listVersions(code)).filter(
        (r) => r.scope === NATIONAL_SCOPE || canManageCatalogueScope(staff, r.scope),
      );
      if (rows.length === 0) throw new AppError('PROCEDURE_NOT_FOUND', { code });
      return rows.map((r) => ({
        version: r.version,
        scope: r.scope,
        status: r.status,
        publishedAt: r.publishedAt?.toISOString() ?? null,
        definition: r.definition,
      }));
    },

    /**
     * A new draft version (version 1 for a new code) in a scope: national (the ministry's) or a province
     * variant, which may differ from the published national version only in fees, steps and duration.
     */
    async createVersion(
      actor: Actor,
      definition: ProcedureDefinition,
      scope?: string,
    ): Promise<VersionChange<'draft'>> {
      const target = scope ?? defaultCatalogueScope(actor.staff);
      assertScope(actor.staff, target);
      if (target !== NATIONAL_SCOPE) {
        const national = await repo.findPublished(definition.code, NATIONAL_SCOPE);
        if (!national) throw new AppError('PROCEDURE_NOT_FOUND', { code: definition.code });
        const locked = lockedFieldsChanged(national.definition, definition);
        if (locked.length > 0) throw new AppError('VARIANT_CHANGES_LOCKED', { fields: locked.join(', ') });
      }
      return db.transaction().execute(async (trx) => {
        const created = await repo.insertVersion(trx, definition, actor.staff.id, false, target);
        await recordAudit(trx, {
          actorId: actor.staff.id,
          action: 'procedure.create_version',
          entity: 'procedure',
          entityId: definition.code,
          unitCode: target === NATIONAL_SCOPE ? null : target,
          details: { version: created.version, scope: target, name: definition.name },
          ...actor,
        });
        return { code: definition.code, version: created.version, scope: target, status: 'draft' as const };
      });
    },

    async publishVersion(actor: Actor, code: string, version: number): Promise<VersionChange<'published'>> {
      const draft = await repo.findVersion(code, version);
      if (draft?.status !== 'draft') {
        throw new AppError('PROCEDURE_NOT_FOUND', { code: `${code} (bản nháp ${version})` });
      }
      assertScope(actor.staff, draft.scope);
      return db
        .transaction()
        .execute(async (trx) => {
          const done = await repo.publish(trx, code, version, draft.scope, actor.staff.id);
          if (!done) throw new AppError('PROCEDURE_NOT_FOUND', { code: `${code} (bản nháp ${version})` });
          await recordAudit(trx, {
            actorId: actor.staff.id,
            action: 'procedure.publish',
            entity: 'procedure',
            entityId: code,
            unitCode: draft.scope === NATIONAL_SCOPE ? null : draft.scope,
            details: { version, scope: draft.scope },
            ...actor,
          });
          return { code, version, scope: draft.scope, status: 'published' as const };
        })
        .finally(() => forget(code));
    },

    /** Retires a published version; the province's communes then use the national version again. */
    async retireVersion(actor: Actor, code: string, version: number): Promise<VersionChange<'retired'>> {
      const row = await repo.findVersion(code, version);
      if (row?.status !== 'published') {
        throw new AppError('PROCEDURE_NOT_FOUND', { code: `${code} (phiên bản ${version})` });
      }
      assertScope(actor.staff, row.scope);
      return db
        .transaction()
        .execute(async (trx) => {
          const done = await repo.retire(trx, code, version);
          if (!done) throw new AppError('PROCEDURE_NOT_FOUND', { code: `${code} (phiên bản ${version})` });
          await recordAudit(trx, {
            actorId: actor.staff.id,
            action: 'procedure.retire',
            entity: 'procedure',
            entityId: code,
            unitCode: row.scope === NATIONAL_SCOPE ? null : row.scope,
            details: { version, scope: row.scope },
            ...actor,
          });
          return { code, version, scope: row.scope, status: 'retired' as const };
        })
        .finally(() => forget(code));
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;

/** Each procedure's field (lĩnh vực) by code, for the reports' field tables. */
export async function listProcedureFields(db: Kysely<DB>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('procedure_version').select(['code', 'field']).distinct().execute();
  return new Map(rows.map((r) => [r.code, r.field]));
}

/** The app_meta marker of the loaded reference catalogue. */
export const PROCEDURES_META_KEY = 'reference.procedures';

/** Loads the shipped catalogue once (version 1 of each procedure, published); false when already there. */
export async function loadReferenceProcedures(db: Kysely<DB>): Promise<boolean> {
  const key = PROCEDURES_META_KEY;
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
