import type { Kysely } from 'kysely';
import forge from 'node-forge';
import type { DB } from '../../db/schema.ts';
import { protectAtRest } from './at-rest.ts';
import {
  certificateToDer,
  createDemoAuthority,
  type IssuedCertificate,
  issueDemoCertificate,
} from './demo-ca.ts';
import { buildPkcs12, openPkcs12 } from './key-signer.ts';
import { createSigningRepository } from './signing.repository.ts';

/** The PIN of every demo officer's certificate (the README lists it). Never a real PIN. */
export const DEMO_SIGNING_PIN = '123456';

export type DemoPkiInput = {
  sealPassphrase: string;
  now: Date;
  communes: { code: string; name: string; provinceName: string }[];
  /** Officers who get a certificate of their own (those who sign results in the demo). */
  officers: { id: number; username: string; fullName: string; unitCode: string }[];
};

/** The demo authority, created once and kept (its key under the seal passphrase) to issue more. */
async function loadOrCreateAuthority(
  db: Kysely<DB>,
  sealPassphrase: string,
  now: Date,
): Promise<IssuedCertificate> {
  const repo = createSigningRepository();
  const existing = await repo.findDemoAuthority(db);
  const opened = existing?.pkcs12 ? openPkcs12(existing.pkcs12, sealPassphrase) : null;
  if (existing && !opened) {
    // A second, new demo authority would be trusted beside the first: refuse instead.
    throw new Error(
      'the demo authority does not open with the seal passphrase: was MOTCUA_SEAL_PASSPHRASE or <data folder>/seal-passphrase changed?',
    );
  }
  if (existing && opened) {
    return {
      certificate: forge.pki.certificateFromAsn1(
        forge.asn1.fromDer(Buffer.from(existing.certificate).toString('binary')),
      ),
      privateKeyPem: opened.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  }
  const authority = await createDemoAuthority('MotCua Demo CA (không dùng thật)', now);
  await repo.insertAuthority(db, {
    name: 'MotCua Demo CA',
    certificate: certificateToDer(authority.certificate),
    pkcs12: buildPkcs12({
      ...authority,
      certificates: [authority.certificate],
      pin: sealPassphrase,
      friendlyName: 'demo-ca',
    }),
    demo: true,
    createdBy: null,
  });
  return authority;
}

/**
 * The demo's certificates: a demo authority, a seal for each demo commune and a certificate for each
 * officer who signs results, all issued here so that a fresh install signs results that verify.
 * Keys are generated in parallel (Node's thread pool); what exists already is kept.
 */
export async function seedDemoPki(db: Kysely<DB>, input: DemoPkiInput) {
  const repo = createSigningRepository();
  const authority = await loadOrCreateAuthority(db, input.sealPassphrase, input.now);
  const chain = [authority.certificate];
  const seals = await Promise.all(
    input.communes.map(async (c) => {
      if (await repo.findSealCredential(db, c.code)) return null;
      const body = `Ủy ban nhân dân ${c.name}`;
      const issued = await issueDemoCertificate(
        authority,
        { commonName: body, organization: body, province: c.provinceName },
        input.now,
      );
      return { unitCode: c.code, issued };
    }),
  );
  const officers = await Promise.all(
    input.officers.map(async (o) => {
      if (await repo.findOfficerCredential(db, o.id)) return null;
      const commune = input.communes.find((c) => c.code === o.unitCode);
      const issued = await issueDemoCertificate(
        authority,
        {
          commonName: o.fullName,
          organization: commune ? `Ủy ban nhân dân ${commune.name}` : 'MotCua',
          ...(commune ? { province: commune.provinceName } : {}),
        },
        input.now,
      );
      return { officer: o, issued };
    }),
  );
  await db.transaction().execute(async (trx) => {
    for (const seal of seals) {
      if (!seal) continue;
      await repo.replaceCredential(trx, {
        kind: 'seal',
        accountId: null,
        unitCode: seal.unitCode,
        pkcs12: buildPkcs12({
          ...seal.issued,
          certificates: [seal.issued.certificate, ...chain],
          pin: input.sealPassphrase,
          friendlyName: `seal ${seal.unitCode}`,
        }),
        certificate: certificateToDer(seal.issued.certificate),
        createdBy: null,
      });
    }
    for (const entry of officers) {
      if (!entry) continue;
      await repo.replaceCredential(trx, {
        kind: 'officer',
        accountId: entry.officer.id,
        unitCode: entry.officer.unitCode,
        pkcs12: protectAtRest(
          input.sealPassphrase,
          buildPkcs12({
            ...entry.issued,
            certificates: [entry.issued.certificate, ...chain],
            pin: DEMO_SIGNING_PIN,
            friendlyName: entry.officer.username,
          }),
        ),
        certificate: certificateToDer(entry.issued.certificate),
        createdBy: null,
      });
    }
  });
}
