import type { Kysely } from 'kysely';
import { COMMUNE_HANDLING_ROLES, INTAKE_ROLES } from '../../../core/dossiers/dossier-actions.ts';
import { AppError } from '../../../core/errors.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import type { DB } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Actor, DossiersService } from '../dossiers/dossiers.service.ts';
import { createDocumentsRepository, type DocumentRow } from './documents.repository.ts';
import { type CheckedFile, checkUpload, imagesToPdf, type UploadLimits } from './file-checks.ts';
import type { FileStore } from './file-store.ts';

export type DocumentsDeps = {
  db: Kysely<DB>;
  files: FileStore;
  dossiers: DossiersService;
  limits: UploadLimits;
  now: () => Date;
};

export type Upload = { name: string; bytes: Uint8Array };
export type Digitization = 'not_digitized' | 'digitized' | 'reused' | 'reused_result';

export function toDocumentView(row: DocumentRow) {
  return {
    id: row.id,
    name: row.name,
    componentKey: row.component_key,
    dossierId: row.dossier_id,
    digitization: row.digitization,
    reusedFrom: row.reused_from,
    isResult: row.is_result,
    mediaType: row.media_type,
    sizeBytes: Number(row.size_bytes),
    pages: row.pages,
    sha256: row.sha256,
    createdBy: row.created_by === null ? null : { id: row.created_by, name: row.created_by_name },
    createdAt: row.created_at.toISOString(),
  };
}
export type DocumentView = ReturnType<typeof toDocumentView>;

export function createDocumentsService(deps: DocumentsDeps) {
  const { db, files, dossiers, limits } = deps;
  const repo = createDocumentsRepository();

  /** The dossier and component the caller is changing: 404 outside their units, 403 without the role. */
  async function writableComponent(staff: StaffPrincipal, dossierId: number, componentKey: string) {
    const context = await dossiers.getDocumentContext(staff, dossierId);
    if (!context.canAct) throw new AppError('ROLE_NOT_ALLOWED', { action: 'Số hóa thành phần hồ sơ' });
    if (context.closed) {
      throw new AppError('CONFLICT', {
        detail: `hồ sơ ${context.code} đã kết thúc, không nhận thêm giấy tờ`,
      });
    }
    const component = context.components.find((c) => c.key === componentKey);
    if (!component) throw new AppError('COMPONENT_NOT_FOUND', { key: componentKey });
    return { context, component };
  }

  /** One PDF as it came, or one or more scanned images as a single PDF. */
  async function toOneFile(uploads: Upload[], title: string): Promise<CheckedFile> {
    if (uploads.length === 0) throw new AppError('FILE_MISSING');
    const checked: CheckedFile[] = [];
    for (const u of uploads) checked.push(await checkUpload(u.name, u.bytes, limits));
    const pdfs = checked.filter((c) => c.mediaType === 'application/pdf');
    if (pdfs.length === 1 && checked.length === 1) return pdfs[0] as CheckedFile;
    if (pdfs.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        {},
        { file: 'Gửi một tệp PDF, hoặc một hay nhiều ảnh quét (JPEG, PNG)' },
      );
    }
    if (checked.length > limits.maxPages) {
      throw new AppError('FILE_TOO_MANY_PAGES', {
        name: title,
        pages: checked.length,
        limit: limits.maxPages,
      });
    }
    const bytes = await imagesToPdf(checked, title);
    if (bytes.length > limits.maxBytes) {
      throw new AppError('FILE_TOO_LARGE', { limitMb: Math.round(limits.maxBytes / 1024 / 1024) });
    }
    return { name: `${title}.pdf`, mediaType: 'application/pdf', bytes, pages: checked.length };
  }

  async function write(
    actor: Actor,
    ctx: Awaited<ReturnType<typeof writableComponent>>,
    file: {
      sha256: string;
      name: string;
      digitization: Exclude<Digitization, 'not_digitized'>;
      reusedFrom: number | null;
    },
  ) {
    const { staff } = actor;
    return db.transaction().execute(async (trx) => {
      const saved = await repo.insertDocument(trx, {
        sha256: file.sha256,
        citizenId: ctx.context.citizenId,
        dossierId: ctx.context.id,
        componentKey: ctx.component.key,
        name: file.name,
        digitization: file.digitization,
        reusedFrom: file.reusedFrom,
        unitCode: staff.unitCode,
        createdBy: staff.id,
      });
      if (saved.created) {
        await recordAudit(trx, {
          actorId: staff.id,
          action: file.digitization === 'digitized' ? 'document.digitize' : 'document.reuse',
          entity: 'dossier',
          entityId: ctx.context.id,
          unitCode: ctx.context.receivingUnitCode,
          details: {
            code: ctx.context.code,
            component: ctx.component.key,
            document: saved.id,
            sha256: file.sha256,
            reusedFrom: file.reusedFrom,
          },
          at: deps.now(),
          ...actor,
        });
      }
      const row = await repo.findById(trx, saved.id);
      return { created: saved.created, document: toDocumentView(row as DocumentRow) };
    });
  }

  return {
    /**
     * Digitizes a component: the bytes are checked, stored once by their digest, and recorded against
     * the component with the officer who did it. The same bytes sent again give the same document.
     */
    async digitize(actor: Actor, dossierId: number, componentKey: string, uploads: Upload[]) {
      const ctx = await writableComponent(actor.staff, dossierId, componentKey);
      const file = await toOneFile(uploads, ctx.component.name.slice(0, 120));
      const sha256 = await files.put(file.bytes);
      await repo.saveFile(db, {
        sha256,
        size: file.bytes.length,
        mediaType: file.mediaType,
        pages: file.pages,
      });
      return write(actor, ctx, { sha256, name: file.name, digitization: 'digitized', reusedFrom: null });
    },

    /** Takes a paper from the applicant's personal store instead of a new upload. */
    async reuse(actor: Actor, dossierId: number, componentKey: string, documentId: number) {
      const ctx = await writableComponent(actor.staff, dossierId, componentKey);
      const source = await repo.findById(db, documentId);
      // Another citizen's paper does not exist for this dossier.
      if (!source || source.citizen_id !== ctx.context.citizenId) {
        throw new AppError('DOCUMENT_NOT_FOUND', { id: documentId });
      }
      const original = source.reused_from ?? source.id;
      return write(actor, ctx, {
        sha256: source.sha256,
        name: source.name,
        digitization: source.is_result ? 'reused_result' : 'reused',
        reusedFrom: original,
      });
    },

    /** Each component of the dossier with its digitization status and its documents. */
    async listForDossier(staff: StaffPrincipal, dossierId: number) {
      const context = await dossiers.getDocumentContext(staff, dossierId);
      const rows = (await repo.listByDossier(db, dossierId)).map(toDocumentView);
      return {
        dossierId,
        code: context.code,
        components: context.components.map((c) => {
          const documents = rows.filter((r) => r.componentKey === c.key);
          const latest = documents.at(-1);
          return {
            key: c.key,
            name: c.name,
            requirement: c.requirement,
            digitization: (latest?.digitization ?? 'not_digitized') as Digitization,
            digitizedBy: latest?.createdBy ?? null,
            documents,
          };
        }),
        results: rows.filter((r) => r.isResult),
      };
    },

    /** A citizen's personal store, for reuse at intake; reading it is audited. */
    async listCitizenStore(actor: Actor, citizenId: string, page: number, pageSize: number) {
      const { staff } = actor;
      if (!INTAKE_ROLES.has(staff.role) && !COMMUNE_HANDLING_ROLES.has(staff.role)) {
        throw new AppError('FORBIDDEN');
      }
      const { items, total } = await repo.listByCitizen(db, citizenId, page, pageSize);
      await recordAudit(db, {
        actorId: staff.id,
        action: 'citizen.store.read',
        entity: 'citizen',
        entityId: citizenId,
        unitCode: staff.unitCode,
        details: { results: total },
        at: deps.now(),
        ...actor,
      });
      return { items: items.map(toDocumentView), total, page, pageSize };
    },

    /** The bytes of a document the caller may see (through its dossier). */
    async getFile(staff: StaffPrincipal, documentId: number) {
      const row = await repo.findById(db, documentId);
      if (!row || row.dossier_id === null) throw new AppError('DOCUMENT_NOT_FOUND', { id: documentId });
      try {
        await dossiers.getDocumentContext(staff, row.dossier_id);
      } catch {
        throw new AppError('DOCUMENT_NOT_FOUND', { id: documentId });
      }
      const bytes = await files.get(row.sha256);
      if (!bytes)
        throw new Error(`file ${row.sha256} of document ${row.id} is missing from the ${files.kind} store`);
      return { bytes, mediaType: row.media_type, name: row.name };
    },
  };
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;
