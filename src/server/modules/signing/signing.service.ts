import { X509Certificate } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import type { DB } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { PdfWork } from '../documents/pdf/pdf-work-pool.ts';
import type { Actor } from '../identity/identity.service.ts';
import { readAtRest } from './at-rest.ts';
import { dnField } from './dn.ts';
import { createKeyObjectSigner, type KeySigner, openPkcs12 } from './key-signer.ts';
import { type SignatureRequest, signPdf, type TimeStamper } from './pades.ts';
import { type VerifyOptions, verifyPdfSignatures } from './pdf-verifier.ts';
import { type CredentialRow, createSigningRepository } from './signing.repository.ts';

/** Wrong PINs in a row before a certificate locks, and for how long (as a USB token would). */
export const PIN_LOCKOUT = { attempts: 5, minutes: 15 };

export type SigningDeps = {
  db: Kysely<DB>;
  /** Protects the seals' and the demo authority's PKCS#12 files in the database. */
  sealPassphrase: string;
  now: () => Date;
  /** RFC 3161 time stamps on every signature, when a TSA is configured. */
  timeStamper?: TimeStamper | undefined;
  /** Trust the demo authority (MOTCUA_DEMO): off in production, where only imported CAs count. */
  trustDemoAuthority?: boolean;
  /** Worker threads for verification (the app's pool); without them (the seed) it runs in this thread. */
  pdfWork?: PdfWork;
};

export type OpenedCredential = { signer: KeySigner; credentialId: number; subject: string };

export function createSigningService(deps: SigningDeps) {
  const { db } = deps;
  const repo = createSigningRepository();
  // Trust anchors change rarely (an import, the demo seed after a first start): kept for a minute.
  let anchors: { at: number; list: Promise<X509Certificate[]> } | null = null;

  /** An expired or not yet valid certificate cannot sign; the refusal, or null. */
  function whyUnusable(row: CredentialRow, who: string) {
    const now = deps.now();
    if (new Date(row.not_after) < now || new Date(row.not_before) > now) {
      return new AppError('NO_SIGNING_CREDENTIAL', { who }, undefined, { expired: true });
    }
    return null;
  }

  const service = {
    /** After a trusted authority is added: the next check reads them again. */
    forgetTrustAnchors() {
      anchors = null;
    },

    /**
     * The officer's own certificate, opened with their PIN. A wrong PIN is counted and audited (in its
     * own transaction, so the refusal cannot roll it back); the fifth in a row locks the certificate.
     */
    async openOfficer(actor: Actor, pin: string): Promise<OpenedCredential> {
      const { staff } = actor;
      const now = deps.now();
      // The credential row stays locked while the PIN is tried and counted: parallel guesses queue up
      // and every one of them is counted, as on a token.
      const outcome = await db.transaction().execute(async (trx) => {
        const row = await repo.findOfficerCredential(trx, staff.id, { forUpdate: true });
        if (!row?.pkcs12) return { error: new AppError('NO_SIGNING_CREDENTIAL', { who: staff.fullName }) };
        const unusable = whyUnusable(row, staff.fullName);
        if (unusable) return { error: unusable };
        const lockedUntil = row.locked_until ? new Date(row.locked_until) : null;
        if (lockedUntil && lockedUntil > now) {
          const minutes = Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000);
          return { error: new AppError('SIGNING_LOCKED', { minutes }) };
        }
        const opened = openPkcs12(readAtRest(deps.sealPassphrase, row.pkcs12), pin);
        if (opened) {
          if (row.failed_pins > 0) await repo.setPinFailures(trx, row.id, 0, null);
          return { opened, row };
        }
        // A lock that has run out starts the count again.
        const failed = (lockedUntil ? 0 : row.failed_pins) + 1;
        const locks = failed >= PIN_LOCKOUT.attempts;
        await repo.setPinFailures(
          trx,
          row.id,
          locks ? 0 : failed,
          locks ? new Date(now.getTime() + PIN_LOCKOUT.minutes * 60_000) : null,
        );
        await recordAudit(trx, {
          actorId: staff.id,
          action: 'signing.pin_wrong',
          entity: 'signing_credential',
          entityId: row.id,
          unitCode: staff.unitCode,
          details: { failed, locked: locks },
          at: now,
          ...actor,
        });
        return {
          error: locks
            ? new AppError('SIGNING_LOCKED', { minutes: PIN_LOCKOUT.minutes })
            : new AppError('SIGNING_PIN_WRONG', {
                left: PIN_LOCKOUT.attempts - failed,
                minutes: PIN_LOCKOUT.minutes,
              }),
        };
      });
      // Thrown after the commit, so the count and the audit entry of a wrong PIN stay.
      if ('error' in outcome) throw outcome.error;
      const { opened, row } = outcome;
      return { signer: createKeyObjectSigner(opened), credentialId: row.id, subject: row.subject };
    },

    /** The seal of a unit (the organisation's certificate), opened with the server's passphrase. */
    async openSeal(unitCode: string, unitName: string): Promise<OpenedCredential> {
      const row = await repo.findSealCredential(db, unitCode);
      const who = `Con dấu số của ${unitName}`;
      if (!row?.pkcs12) throw new AppError('NO_SIGNING_CREDENTIAL', { who });
      const unusable = whyUnusable(row, who);
      if (unusable) throw unusable;
      const opened = openPkcs12(row.pkcs12, deps.sealPassphrase);
      // The log at start names it too: the server's seal passphrase is not the one the seal was kept under.
      if (!opened)
        throw new AppError('NO_SIGNING_CREDENTIAL', { who: `${who} (không mở được bằng mật khẩu máy chủ)` });
      return { signer: createKeyObjectSigner(opened), credentialId: row.id, subject: row.subject };
    },

    /** One PAdES signature added to the PDF, time-stamped when a TSA is configured. */
    sign(
      pdf: Uint8Array,
      credential: OpenedCredential,
      request: Omit<SignatureRequest, 'timeStamper' | 'name'>,
    ) {
      return signPdf(pdf, credential.signer, {
        ...request,
        name: dnField(credential.subject, 'CN') ?? credential.subject,
        timeStamper: deps.timeStamper,
      });
    },

    async trustAnchors() {
      if (!anchors || Date.now() - anchors.at > 60_000) {
        const trustDemo = deps.trustDemoAuthority ?? true;
        const list = repo
          .listAuthorities(db)
          .then((rows) =>
            rows.filter((r) => trustDemo || !r.demo).map((r) => new X509Certificate(r.certificate)),
          );
        anchors = { at: Date.now(), list };
        list.catch(() => {
          anchors = null;
        });
      }
      return anchors.list;
    },

    async verify(pdf: Uint8Array, options: VerifyOptions = {}) {
      const anchors = await this.trustAnchors();
      return deps.pdfWork
        ? deps.pdfWork.verify(pdf, anchors, { now: deps.now(), ...options })
        : verifyPdfSignatures(pdf, anchors, { now: deps.now(), ...options });
    },
  };
  return service;
}

export type SigningService = ReturnType<typeof createSigningService>;
