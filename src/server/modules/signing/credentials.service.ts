import { X509Certificate } from 'node:crypto';
import type { Kysely } from 'kysely';
import type forge from 'node-forge';
import { COMMUNE_HANDLING_ROLES } from '../../../core/dossiers/dossier-actions.ts';
import { AppError } from '../../../core/errors.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import type { AuthorityView, CredentialView } from '../../../core/signing/credentials.schemas.ts';
import { foldVietnamese, splitUnitName } from '../../../core/units/unit-names.ts';
import type { DB } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Actor } from '../identity/identity.service.ts';
import type { UnitsService } from '../units/units.service.ts';
import { protectAtRest } from './at-rest.ts';
import { chainsToTrusted } from './cms-verify.ts';
import { certificateFromDer, issueDemoCertificate } from './demo-ca.ts';
import { dnField } from './dn.ts';
import { buildPkcs12, type OpenedPkcs12, openPkcs12 } from './key-signer.ts';
import { type CredentialRow, createSigningRepository } from './signing.repository.ts';
import type { SigningService } from './signing.service.ts';

export type CredentialsDeps = {
  db: Kysely<DB>;
  units: UnitsService;
  sealPassphrase: string;
  now: () => Date;
  /** The trust anchors imports are checked against (and told when one is added). */
  signing: SigningService;
};

/** Who may replace a commune's seal. */
function canManageSeal(staff: StaffPrincipal, unit: { code: string; provinceCode: string }) {
  if (staff.role === 'system_admin') return true;
  if (staff.role === 'province_admin') return staff.unitCode === unit.provinceCode;
  return staff.role === 'centre_director' && staff.unitCode === unit.code;
}

function credentialView(row: CredentialRow, now: Date): CredentialView {
  const cert = new X509Certificate(row.certificate);
  return {
    id: row.id,
    kind: row.kind,
    provider: row.provider,
    unitCode: row.unit_code,
    subject: row.subject,
    issuer: cert.issuer.replace(/\n/g, ', '),
    serialNumber: row.serial_number,
    notBefore: new Date(row.not_before).toISOString(),
    notAfter: new Date(row.not_after).toISOString(),
    lockedUntil:
      row.locked_until && new Date(row.locked_until) > now ? new Date(row.locked_until).toISOString() : null,
  };
}

/** The forge certificates of DER bytes, to wrap them into a new PKCS#12. */
const forgeCertificates = (ders: Uint8Array[]) => ders.map(certificateFromDer);

/**
 * Who signs with what: an officer's own certificate (imported from a licensed CA, or issued by the demo
 * authority), a commune's seal, and the authorities this installation trusts.
 */
export function createCredentialsService(deps: CredentialsDeps) {
  const { db, signing } = deps;
  const repo = createSigningRepository();

  /**
   * Opens a PKCS#12 the caller supplied (an import), or says what is wrong with it: a wrong password,
   * a key that is not the certificate's, an expired certificate, or one from an authority not trusted
   * here (the system administrator adds licensed CAs first).
   */
  async function openSupplied(p12: Uint8Array, pin: string): Promise<OpenedPkcs12> {
    const opened = openPkcs12(p12, pin);
    if (!opened)
      throw new AppError('CERTIFICATE_INVALID', { reason: 'sai mật khẩu (PIN) của tệp chứng thư' });
    const cert = new X509Certificate(opened.certificates[0] as Uint8Array);
    if (!cert.checkPrivateKey(opened.privateKey)) {
      throw new AppError('CERTIFICATE_INVALID', { reason: 'khóa bí mật không khớp với chứng thư số' });
    }
    if (new Date(cert.validTo) < deps.now()) {
      throw new AppError('CERTIFICATE_INVALID', { reason: `chứng thư số đã hết hạn ngày ${cert.validTo}` });
    }
    const chain = opened.certificates.map((der) => new X509Certificate(der));
    signing.forgetTrustAnchors();
    if (!chainsToTrusted(cert, chain, await signing.trustAnchors(), deps.now())) {
      throw new AppError('CERTIFICATE_INVALID', {
        reason:
          'chứng thư số không do tổ chức chứng thực được tin cậy cấp (quản trị hệ thống cần thêm tổ chức chứng thực trước)',
      });
    }
    return opened;
  }

  /** Does the certificate name this person or body? Compared without diacritics, case or spacing. */
  function certificateNames(der: Uint8Array, name: string) {
    const cn = dnField(new X509Certificate(der).subject, 'CN') ?? '';
    return foldVietnamese(cn).includes(foldVietnamese(name));
  }

  async function wrapForServer(opened: OpenedPkcs12, friendlyName: string) {
    return buildPkcs12({
      privateKeyPem: opened.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      certificates: forgeCertificates(opened.certificates),
      pin: deps.sealPassphrase,
      friendlyName,
    });
  }

  return {
    async getOwnCredential(staff: StaffPrincipal): Promise<CredentialView | null> {
      const row = await repo.findOfficerCredential(db, staff.id);
      return row ? credentialView(row, deps.now()) : null;
    },

    /** An officer brings their own PKCS#12 (from a licensed CA); its password becomes the signing PIN. */
    async importOfficerCredential(actor: Actor, p12: Uint8Array, pin: string) {
      const opened = await openSupplied(p12, pin);
      const { staff } = actor;
      // One's own certificate only: the signature block prints the certificate holder's name.
      if (!certificateNames(opened.certificates[0] as Uint8Array, staff.fullName)) {
        throw new AppError('CERTIFICATE_INVALID', {
          reason: `chứng thư số không cấp cho ${staff.fullName}`,
        });
      }
      const row = await db.transaction().execute(async (trx) => {
        const { id } = await repo.replaceCredential(trx, {
          kind: 'officer',
          accountId: staff.id,
          unitCode: staff.unitCode,
          pkcs12: protectAtRest(deps.sealPassphrase, p12),
          certificate: Buffer.from(opened.certificates[0] as Uint8Array),
          createdBy: staff.id,
        });
        await recordAudit(trx, {
          actorId: staff.id,
          action: 'signing.credential.import',
          entity: 'signing_credential',
          entityId: id,
          unitCode: staff.unitCode,
          details: { kind: 'officer' },
          at: deps.now(),
          ...actor,
        });
        return repo.findOfficerCredential(trx, staff.id);
      });
      return credentialView(row as CredentialRow, deps.now());
    },

    /** A unit's seal from a licensed CA (PKCS#12 and its password), kept under the server passphrase. */
    async importSealCredential(actor: Actor, unitCode: string, p12: Uint8Array, password: string) {
      const unit = await deps.units.getUnitRecord(unitCode);
      // The seal is the People's Committee's: its centre director, the province, the system administrator
      // (not the commune's IT administrator, who has no business with dossiers).
      if (!unit.current || unit.level !== 'commune' || !canManageSeal(actor.staff, unit)) {
        throw new AppError('FORBIDDEN');
      }
      const opened = await openSupplied(p12, password);
      if (!certificateNames(opened.certificates[0] as Uint8Array, splitUnitName(unit.name).bare)) {
        throw new AppError('CERTIFICATE_INVALID', {
          reason: `chứng thư số không phải của ${unit.name} (tên trên chứng thư phải có tên đơn vị)`,
        });
      }
      const wrapped = await wrapForServer(opened, `seal ${unitCode}`);
      const row = await db.transaction().execute(async (trx) => {
        const { id } = await repo.replaceCredential(trx, {
          kind: 'seal',
          accountId: null,
          unitCode,
          pkcs12: wrapped,
          certificate: Buffer.from(opened.certificates[0] as Uint8Array),
          createdBy: actor.staff.id,
        });
        await recordAudit(trx, {
          actorId: actor.staff.id,
          action: 'signing.credential.import',
          entity: 'signing_credential',
          entityId: id,
          unitCode,
          details: { kind: 'seal' },
          at: deps.now(),
          ...actor,
        });
        return repo.findSealCredential(trx, unitCode);
      });
      return credentialView(row as CredentialRow, deps.now());
    },

    /**
     * Demo only: the demo authority issues the officer a certificate protected by the PIN they chose,
     * as a CA's registration desk would. Refused where there is no demo authority (production).
     */
    async issueDemoOfficerCredential(actor: Actor, pin: string, currentPin?: string) {
      // Re-issuing must not be a way around the PIN: the current one is asked for, through the same
      // counted check as signing, so a locked certificate stays locked and every wrong PIN counts.
      if (await repo.findOfficerCredential(db, actor.staff.id)) {
        if (!currentPin) {
          throw new AppError(
            'VALIDATION_FAILED',
            {},
            { 'body.currentPin': 'Nhập mã PIN hiện tại để cấp lại chứng thư số' },
          );
        }
        await signing.openOfficer(actor, currentPin);
      }
      const authority = await repo.findDemoAuthority(db);
      const opened = authority?.pkcs12 ? openPkcs12(authority.pkcs12, deps.sealPassphrase) : null;
      const { staff } = actor;
      // Officers who sign results; a volunteer or an inspector has no use for a signing certificate.
      if (!authority || !opened || !COMMUNE_HANDLING_ROLES.has(staff.role)) throw new AppError('FORBIDDEN');
      const unit = await deps.units.getUnitRecord(staff.unitCode).catch(() => null);
      const ca = forgeCertificates([authority.certificate])[0] as forge.pki.Certificate;
      const issued = await issueDemoCertificate(
        {
          certificate: ca,
          privateKeyPem: opened.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
        {
          commonName: staff.fullName,
          organization: unit ? `UBND ${unit.name}` : 'MotCua',
          ...(unit ? { province: unit.provinceName } : {}),
        },
        deps.now(),
      );
      const p12 = buildPkcs12({
        privateKeyPem: issued.privateKeyPem,
        certificates: [issued.certificate, ca],
        pin,
        friendlyName: staff.username,
      });
      return this.importOfficerCredential(actor, p12, pin);
    },

    async listAuthorities(): Promise<AuthorityView[]> {
      const rows = await repo.listAuthorities(db);
      return rows.map((r) => {
        const cert = new X509Certificate(r.certificate);
        return {
          id: r.id,
          name: r.name,
          subject: cert.subject.replace(/\n/g, ', '),
          fingerprintSha256: r.fingerprint_sha256,
          validTo: new Date(cert.validTo).toISOString(),
          demo: r.demo,
        };
      });
    },

    /** A licensed CA's root or intermediate certificate becomes a trust anchor (system administrator). */
    async importAuthority(actor: Actor, name: string, certificate: Uint8Array): Promise<AuthorityView[]> {
      if (actor.staff.role !== 'system_admin') throw new AppError('FORBIDDEN');
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(certificate);
      } catch {
        throw new AppError('CERTIFICATE_INVALID', {
          reason: 'tệp không phải chứng thư số X.509 (PEM hoặc DER)',
        });
      }
      if (!cert.ca)
        throw new AppError('CERTIFICATE_INVALID', {
          reason: 'đây không phải chứng thư của tổ chức chứng thực (CA)',
        });
      await db.transaction().execute(async (trx) => {
        const inserted = await repo.insertAuthority(trx, {
          name,
          certificate: Buffer.from(cert.raw),
          pkcs12: null,
          demo: false,
          createdBy: actor.staff.id,
        });
        await recordAudit(trx, {
          actorId: actor.staff.id,
          action: 'signing.authority.import',
          entity: 'certificate_authority',
          entityId: inserted?.id ?? cert.fingerprint256,
          unitCode: 'VN',
          details: { name, fingerprint: cert.fingerprint256 },
          at: deps.now(),
          ...actor,
        });
      });
      signing.forgetTrustAnchors();
      return this.listAuthorities();
    },
  };
}

export type CredentialsService = ReturnType<typeof createCredentialsService>;
