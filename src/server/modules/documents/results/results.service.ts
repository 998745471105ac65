import type { Kysely } from 'kysely';
import { PDFDocument } from 'pdf-lib';
import type { z } from 'zod';
import { toLocalDate } from '../../../../core/calendar/vn-time.ts';
import {
  RESULT_TEMPLATES,
  type SignResultInput,
  templateOf,
} from '../../../../core/documents/result-details.ts';
import { describeForConflict } from '../../../../core/dossiers/dossier-machine.ts';
import { AppError } from '../../../../core/errors.ts';
import type { DB } from '../../../db/schema.ts';
import { runIdempotent } from '../../../kernel/idempotency.ts';
import { recordAudit } from '../../audit/audit.service.ts';
import type { DossiersService } from '../../dossiers/dossiers.service.ts';
import type { Actor } from '../../identity/identity.service.ts';
import type { SigningService } from '../../signing/signing.service.ts';
import { createDocumentsRepository } from '../documents.repository.ts';
import type { RecordLoader } from '../dossier-record.ts';
import type { FileStore } from '../file-store.ts';
import type { DossierRecord } from '../forms/form-context.ts';
import { RESULT_BOOKS, renderResult } from './result-templates.ts';
import { createResultsRepository } from './results.repository.ts';

export type ResultsDeps = {
  db: Kysely<DB>;
  files: FileStore;
  dossiers: DossiersService;
  signing: SigningService;
  loadRecord: RecordLoader;
  publicUrl: string;
  now: () => Date;
};

/** The public page that verifies a dossier's results; the QR code on a result opens it. */
export function verifyUrl(publicUrl: string, code: string) {
  return `${publicUrl}/verify/${encodeURIComponent(code)}`;
}

/** Zod's issues as the API's field messages, under `body.details.…`. */
function detailFields(error: z.ZodError) {
  return Object.fromEntries(
    error.issues.map((i) => [['body', 'details', ...i.path.map(String)].join('.'), i.message]),
  );
}

export function createResultsService(deps: ResultsDeps) {
  const { db, files, dossiers, signing } = deps;
  const documents = createDocumentsRepository();
  const repo = createResultsRepository();

  /** The scan of the original a certified copy is made from: the one named, or the latest digitized one. */
  async function findOriginal(record: DossierRecord, documentId: number | undefined) {
    const rows = await documents.listByDossier(db, record.id);
    const originals = rows.filter((r) => !r.is_result && r.media_type === 'application/pdf');
    const chosen = documentId ? originals.find((r) => r.id === documentId) : originals.at(-1);
    if (!chosen) {
      throw new AppError(
        'VALIDATION_FAILED',
        {},
        {
          'body.details.documentId': documentId
            ? `Hồ sơ không có bản quét số ${documentId}`
            : 'Hãy quét (số hóa) bản chính vào hồ sơ trước khi chứng thực',
        },
      );
    }
    const bytes = await files.get(chosen.sha256);
    if (!bytes) throw new Error(`file ${chosen.sha256} is missing from the ${files.kind} store`);
    return bytes;
  }

  return {
    /**
     * The competent officer signs the result with their PIN: the result is rendered from the procedure's
     * template under the next number of the unit's book, signed by the officer, then sealed with the
     * unit's certificate, stored, and the dossier becomes "result ready" — all in one transaction.
     * Retries with the same Idempotency-Key get the first answer.
     */
    async signResult(
      actor: Actor,
      dossierId: number,
      input: SignResultInput,
      idempotencyKey: string | undefined,
    ) {
      const { staff } = actor;
      const { pin, ...fingerprint } = input;
      const result = await runIdempotent(
        db,
        {
          scope: `staff:${staff.id}`,
          key: idempotencyKey,
          route: `POST /api/dossiers/${dossierId}/result/sign`,
          fingerprint,
        },
        async () => {
          // The reads an action needs; the role is checked below (the competent officer), not as for
          // a plain "result ready".
          const prepared = await dossiers.prepareAction(staff, dossierId, 'result-ready', {});
          const definition = prepared.procedure.definition;
          const record = await deps.loadRecord(actor, dossierId, 'dossier.result.read');
          if (record.state.state !== 'approved') {
            const { params, details } = describeForConflict(record.state, definition, staff.role);
            throw new AppError(
              'ACTION_NOT_ALLOWED',
              { ...params, action: 'Ký số kết quả' },
              undefined,
              details,
            );
          }
          // The competent officer is whoever holds the procedure's last step (who approved it).
          if (definition.steps.at(-1)?.role !== staff.role) {
            throw new AppError('ROLE_NOT_ALLOWED', { action: 'Ký số kết quả' });
          }
          // The seal is the competent commune's: only its own officers sign under it.
          if (staff.unitCode !== record.units.competent.code) throw new AppError('FORBIDDEN');
          const template = templateOf(definition.resultKind);
          const parsed = RESULT_TEMPLATES[template].safeParse(input.details);
          if (!parsed.success) throw new AppError('VALIDATION_FAILED', {}, detailFields(parsed.error));
          const details = parsed.data as Record<string, unknown>;
          const original =
            template === 'certified_copy'
              ? await findOriginal(record, details.documentId as number | undefined)
              : undefined;
          const officer = await signing.openOfficer(actor, pin);
          const seal = await signing.openSeal(record.units.competent.code, record.units.competent.name);
          return { prepared, record, template, details, original, officer, seal };
        },
        async (trx, p) => {
          const { row } = await dossiers.applyAction(
            trx,
            actor,
            p.prepared,
            'result-ready',
            { note: 'Kết quả điện tử đã ký số và đóng dấu số' },
            input.version,
            { signedResult: true },
          );
          const issuedAt = deps.now();
          const year = Number(toLocalDate(issuedAt).slice(0, 4));
          const unitCode = p.record.units.competent.code;
          const { book, label } = RESULT_BOOKS[p.template];
          const number = await repo.allocateNumber(trx, unitCode, book, year);
          const pdf = await renderResult(p.template, {
            record: p.record,
            details: p.details as never,
            number: { value: number, year, label: label(number, year) },
            issuedAt,
            signer: { name: staff.fullName, role: staff.role },
            verifyUrl: verifyUrl(deps.publicUrl, p.record.code),
            ...(p.original ? { original: p.original } : {}),
          });
          const location = p.record.units.competent.name;
          const byOfficer = await signing.sign(pdf, p.officer, {
            reason: `Ky duyet ket qua ho so ${p.record.code}`,
            location,
            signingTime: issuedAt,
          });
          const sealed = await signing.sign(byOfficer, p.seal, {
            reason: `Dong dau so ket qua ho so ${p.record.code}`,
            location,
            signingTime: new Date(issuedAt.getTime() + 1000),
          });
          const sha256 = await files.put(sealed);
          const pages = (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
          await documents.saveFile(trx, { sha256, size: sealed.length, mediaType: 'application/pdf', pages });
          const name = `${p.record.procedure.resultName.split(/[(;]/)[0]?.trim()} ${p.record.code}.pdf`;
          const documentId = await documents.insertResultDocument(trx, {
            sha256,
            citizenId: p.record.applicant.citizenId,
            dossierId,
            name: name.slice(0, 200),
            unitCode,
            createdBy: staff.id,
          });
          await repo.insertIssue(trx, {
            documentId,
            dossierId,
            dossierCode: p.record.code,
            unitCode,
            book,
            year,
            number,
            kind: p.record.procedure.resultKind,
            signedBy: staff.id,
            officerCredentialId: p.officer.credentialId,
            sealCredentialId: p.seal.credentialId,
            issuedAt,
          });
          await recordAudit(trx, {
            actorId: staff.id,
            action: 'result.sign',
            entity: 'dossier',
            entityId: dossierId,
            unitCode: p.record.units.receiving.code,
            details: { code: p.record.code, document: documentId, sha256, book, number, year },
            at: issuedAt,
            ...actor,
          });
          return {
            status: 201,
            body: {
              documentId,
              dossierId,
              code: p.record.code,
              number: label(number, year),
              sha256,
              sizeBytes: sealed.length,
              status: row.current.state,
              statusCode: row.current.statusCode,
              version: row.version,
            },
          };
        },
      );
      if (!result.replayed) dossiers.forgetPublic(result.body.code);
      return result;
    },

    /** The newest signed result of a dossier the caller may see (the download is audited by documents). */
    async findLatestResultDocument(dossierId: number) {
      const [latest] = await repo.listByDossier(db, dossierId);
      return latest ?? null;
    },

    listByDossierCode: (code: string) => repo.listByDossierCode(db, code),
    findCodeBySha256: (sha256: string) => repo.findCodeBySha256(db, sha256),
  };
}

export type ResultsService = ReturnType<typeof createResultsService>;
