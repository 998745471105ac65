import type { Kysely, Transaction } from 'kysely';
import type { ProcedureComponent } from '../../../core/catalog/procedure.schemas.ts';
import type { Digitization, DocumentDigitization } from '../../../core/documents/digitization.ts';
import type { DocumentView, DossierDocuments, StorePage } from '../../../core/documents/documents.schemas.ts';
import { canReadCitizenStore } from '../../../core/dossiers/dossier-access.ts';
import { AppError } from '../../../core/errors.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import type { DB, DraftFile } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { DossiersService } from '../dossiers/dossiers.service.ts';
import type { Actor } from '../identity/identity.service.ts';
import type { StoreConsentService } from './consent/store-consent.service.ts';
import { createDocumentsRepository, type DocumentRow } from './documents.repository.ts';
import { type CheckedFile, checkUpload, tooLarge, type UploadLimits } from './file-checks.ts';
import type { FileStore } from './file-store.ts';
import type { PdfWork } from './pdf/pdf-work-pool.ts';
import { type ScanFile, scansToPdf } from './scan-images.ts';

export type DocumentsDeps = {
  db: Kysely<DB>;
  files: FileStore;
  dossiers: DossiersService;
  /** The applicant's consent that opens their store for one dossier. */
  consent: StoreConsentService;
  limits: UploadLimits;
  now: () => Date;
  /** Worker threads for the PDF checks (the app's pool). */
  pdfWork?: PdfWork;
};

export type Upload = { name: string; bytes: Uint8Array };

/** A component of a dossier the caller may change, as openComponent found it. */
type WritableComponent = {
  dossier: Awaited<ReturnType<DossiersService['getDocumentContext']>>;
  component: ProcedureComponent;
};

function toDocumentView(row: DocumentRow): DocumentView {
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

/** Stored names stay readable in a list and a download header. */
const MAX_NAME = 200;

export function createDocumentsService(deps: DocumentsDeps) {
  const { db, files, dossiers, consent, limits } = deps;
  const repo = createDocumentsRepository();

  /** One PDF as it came, or one or more scanned images as a single PDF. */
  async function toOneFile(uploads: Upload[], title: string): Promise<CheckedFile> {
    if (uploads.length === 0) throw new AppError('FILE_MISSING');
    const checked: CheckedFile[] = [];
    for (const u of uploads) checked.push(await checkUpload(u.name, u.bytes, limits, deps.pdfWork));
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
    // Decoding a PNG with transparency takes about a second per A4 page: in a worker, like the PDF checks.
    const scans = checked as ScanFile[];
    const bytes = deps.pdfWork
      ? await deps.pdfWork.scansToPdf(scans, title, limits)
      : await scansToPdf(scans, title, limits);
    if (bytes.length > limits.maxBytes) throw tooLarge(limits);
    return { name: `${title}.pdf`, mediaType: 'application/pdf', bytes, pages: checked.length };
  }

  /** The document row, its stored file (for a new one) and the audit entry, in one transaction. */
  async function write(
    actor: Actor,
    target: WritableComponent,
    file: {
      sha256: string;
      name: string;
      digitization: DocumentDigitization;
      reusedFrom: number | null;
      /** The consent the paper was taken from the applicant's store under. */
      consent?: number;
    },
    stored?: { size: number; mediaType: string; pages: number },
  ) {
    const { staff } = actor;
    const { dossier, component } = target;
    return db.transaction().execute(async (trx) => {
      if (stored) await repo.saveFile(trx, { sha256: file.sha256, ...stored });
      const saved = await repo.insertDocument(trx, {
        sha256: file.sha256,
        citizenId: dossier.citizenId,
        dossierId: dossier.id,
        componentKey: component.key,
        name: file.name.slice(0, MAX_NAME),
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
          entityId: dossier.id,
          unitCode: dossier.receivingUnitCode,
          details: {
            code: dossier.code,
            component: component.key,
            document: saved.id,
            sha256: file.sha256,
            reusedFrom: file.reusedFrom,
            ...(file.consent ? { consent: file.consent } : {}),
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
     * The dossier and component the caller is about to change: 404 outside their units, 403 without
     * the role, 409 once the dossier is closed. Checked before an upload's bytes are read.
     */
    async openComponent(
      staff: StaffPrincipal,
      dossierId: number,
      componentKey: string,
    ): Promise<WritableComponent> {
      const dossier = await dossiers.getDocumentContext(staff, dossierId);
      if (!dossier.canAct) throw new AppError('ROLE_NOT_ALLOWED', { action: 'Số hóa thành phần hồ sơ' });
      if (dossier.closed) {
        throw new AppError('CONFLICT', {
          detail: `hồ sơ ${dossier.code} đã kết thúc, không nhận thêm giấy tờ`,
        });
      }
      const component = dossier.components.find((c) => c.key === componentKey);
      if (!component) throw new AppError('COMPONENT_NOT_FOUND', { key: componentKey });
      return { dossier, component };
    },

    /**
     * Digitizes a component: the bytes are checked, stored once by their digest, and recorded against
     * the component with the officer who did it. The same bytes sent again give the same document.
     */
    async digitize(actor: Actor, target: WritableComponent, uploads: Upload[]) {
      const file = await toOneFile(uploads, target.component.name.slice(0, 120));
      const sha256 = await files.put(file.bytes);
      return write(
        actor,
        target,
        { sha256, name: file.name, digitization: 'digitized', reusedFrom: null },
        { size: file.bytes.length, mediaType: file.mediaType, pages: file.pages },
      );
    },

    /**
     * Takes a paper from the applicant's personal store instead of a new upload: only with the
     * applicant's consent for this dossier (a paper already in this dossier needs none), and only the
     * applicant's own papers.
     */
    async reuse(actor: Actor, target: WritableComponent, documentId: number) {
      const source = await repo.findById(db, documentId);
      const ownDossier = source?.dossier_id === target.dossier.id;
      // Asked before the paper is looked at: without consent, whether it exists is not told either.
      const grant = ownDossier ? null : await consent.requireGrant(target.dossier);
      // Another citizen's paper does not exist for this dossier.
      if (!source || source.citizen_id !== target.dossier.citizenId) {
        throw new AppError('DOCUMENT_NOT_FOUND', { id: documentId });
      }
      return write(actor, target, {
        sha256: source.sha256,
        name: source.name,
        digitization: source.is_result ? 'reused_result' : 'reused',
        reusedFrom: source.reused_from ?? source.id,
        ...(grant ? { consent: grant.id } : {}),
      });
    },

    /** Each component of the dossier with its digitization status and its documents. */
    async listForDossier(staff: StaffPrincipal, dossierId: number): Promise<DossierDocuments> {
      const dossier = await dossiers.getDocumentContext(staff, dossierId);
      const rows = (await repo.listByDossier(db, dossierId)).map(toDocumentView);
      return {
        dossierId,
        code: dossier.code,
        components: dossier.components.map((c) => {
          const documents = rows.filter((r) => r.componentKey === c.key);
          const latest = documents.at(-1);
          const digitization: Digitization = latest?.digitization ?? 'not_digitized';
          return {
            key: c.key,
            name: c.name,
            requirement: c.requirement,
            digitization,
            digitizedBy: latest?.createdBy ?? null,
            documents,
          };
        }),
        results: rows.filter((r) => r.isResult),
      };
    },

    /**
     * The dossier applicant's personal store, for reuse at intake: only for the officers who may act on
     * the dossier, only with the applicant's consent for it; reading it is audited with the consent.
     * `citizenId`, when the caller names one (the older route), must be the applicant's.
     */
    async listApplicantStore(
      actor: Actor,
      dossierId: number,
      page: number,
      pageSize: number,
      citizenId?: string,
    ): Promise<StorePage> {
      const { staff } = actor;
      if (!canReadCitizenStore(staff)) throw new AppError('FORBIDDEN');
      const dossier = await dossiers.getDocumentContext(staff, dossierId);
      if (!dossier.canAct) throw new AppError('FORBIDDEN');
      if (citizenId !== undefined && citizenId !== dossier.citizenId) {
        throw new AppError(
          'STORE_CONSENT_REQUIRED',
          {},
          { citizenId: 'Chỉ mở được kho dữ liệu của người nộp hồ sơ này' },
        );
      }
      const grant = await consent.requireGrant(dossier);
      const { items, total } = await repo.listByCitizen(db, dossier.citizenId, page, pageSize);
      await recordAudit(db, {
        actorId: staff.id,
        action: 'citizen.store.read',
        entity: 'citizen',
        entityId: dossier.citizenId,
        unitCode: staff.unitCode,
        details: { results: total, dossier: dossier.id, code: dossier.code, consent: grant.id },
        at: deps.now(),
        ...actor,
      });
      return { items: items.map(toDocumentView), total, page, pageSize };
    },

    /** A paper of the applicant's store, opened to look at before reusing it: same rules, audited. */
    async getStoreFile(actor: Actor, dossierId: number, documentId: number) {
      const { staff } = actor;
      if (!canReadCitizenStore(staff)) throw new AppError('FORBIDDEN');
      const dossier = await dossiers.getDocumentContext(staff, dossierId);
      if (!dossier.canAct) throw new AppError('FORBIDDEN');
      const grant = await consent.requireGrant(dossier);
      const row = await repo.findById(db, documentId);
      if (!row || row.citizen_id !== dossier.citizenId)
        throw new AppError('DOCUMENT_NOT_FOUND', { id: documentId });
      const bytes = await files.get(row.sha256);
      if (!bytes)
        throw new Error(`file ${row.sha256} of document ${row.id} is missing from the ${files.kind} store`);
      await recordAudit(db, {
        actorId: staff.id,
        action: 'citizen.store.download',
        entity: 'citizen',
        entityId: dossier.citizenId,
        unitCode: staff.unitCode,
        details: {
          dossier: dossier.id,
          code: dossier.code,
          consent: grant.id,
          document: row.id,
          sha256: row.sha256,
        },
        at: deps.now(),
        ...actor,
      });
      return { bytes, mediaType: row.media_type, name: row.name };
    },

    /**
     * A citizen's upload for a draft: checked and stored like a counter scan (one PDF, or scans made
     * into one), not yet a document of any dossier.
     */
    async storeForCitizen(uploads: Upload[], title: string): Promise<DraftFile> {
      const file = await toOneFile(uploads, title.slice(0, 120));
      const sha256 = await files.put(file.bytes);
      await repo.saveFile(db, {
        sha256,
        size: file.bytes.length,
        mediaType: file.mediaType,
        pages: file.pages,
      });
      return {
        sha256,
        name: file.name.slice(0, MAX_NAME),
        mediaType: file.mediaType,
        sizeBytes: file.bytes.length,
        pages: file.pages,
      };
    },

    /** Stored files become a dossier's documents, inside the caller's transaction (online submission). */
    async attachForCitizen(
      trx: Transaction<DB>,
      target: { dossierId: number; citizenId: string; unitCode: string; citizenAccountId: number },
      byComponent: Record<string, DraftFile>,
    ) {
      for (const [componentKey, f] of Object.entries(byComponent)) {
        await repo.insertDocument(trx, {
          sha256: f.sha256,
          citizenId: target.citizenId,
          dossierId: target.dossierId,
          componentKey,
          name: f.name,
          digitization: 'digitized',
          reusedFrom: null,
          unitCode: target.unitCode,
          createdBy: null,
          createdByCitizen: target.citizenAccountId,
        });
      }
    },

    /** The bytes of a document of a dossier the caller already checked (a citizen's own result). */
    async readStored(documentId: number, dossierId: number) {
      const row = await repo.findById(db, documentId);
      if (!row || row.dossier_id !== dossierId) throw new AppError('DOCUMENT_NOT_FOUND', { id: documentId });
      const bytes = await files.get(row.sha256);
      if (!bytes)
        throw new Error(`file ${row.sha256} of document ${row.id} is missing from the ${files.kind} store`);
      return { bytes, mediaType: row.media_type, name: row.name };
    },

    /** The bytes of a document the caller may see (through its dossier); every download is audited. */
    async getFile(actor: Actor, documentId: number) {
      const row = await repo.findById(db, documentId);
      if (!row || row.dossier_id === null) throw new AppError('DOCUMENT_NOT_FOUND', { id: documentId });
      const dossier = await dossiers.getDocumentContext(actor.staff, row.dossier_id).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'DOSSIER_NOT_FOUND') {
          throw new AppError('DOCUMENT_NOT_FOUND', { id: documentId });
        }
        throw err;
      });
      const bytes = await files.get(row.sha256);
      if (!bytes)
        throw new Error(`file ${row.sha256} of document ${row.id} is missing from the ${files.kind} store`);
      await recordAudit(db, {
        actorId: actor.staff.id,
        action: 'document.download',
        entity: 'dossier',
        entityId: dossier.id,
        unitCode: dossier.receivingUnitCode,
        details: { code: dossier.code, document: row.id, sha256: row.sha256 },
        at: deps.now(),
        ...actor,
      });
      return { bytes, mediaType: row.media_type, name: row.name };
    },
  };
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;
