import type { ProcedureDefinition } from '../../../../core/catalog/procedure.schemas.ts';
import { formatDocumentDate } from '../../../../core/documents/vn-format.ts';
import type { DossierEvent, DossierState, Party } from '../../../../core/dossiers/dossier-state.ts';
import type { Channel } from '../../../../core/dossiers/dossier-status.ts';
import { ROLE_TITLES_VI } from '../../../../core/identity/roles.ts';
import { splitUnitName } from '../../../../core/units/unit-names.ts';
import { createPdfWriter, type DocumentHeading, type PdfWriter } from '../pdf/pdf-writer.ts';

export type UnitName = { code: string; name: string; provinceName: string };

export type FormApplicant = {
  citizenId: string;
  fullName: string;
  /** Null when VNeID gave none. */
  dateOfBirth: string | null;
  phone?: string;
  email?: string;
  address: { text: string; formatted: string };
};

export type FormComponent = {
  key: string;
  name: string;
  requirement: string;
  originals: number;
  copies: number;
  handedIn: boolean;
};

/** Everything a form or a result is filled from: one dossier as the dossier engine keeps it. */
export type DossierRecord = {
  id: number;
  code: string;
  channel: Channel;
  ruleVersion: string;
  applicant: FormApplicant;
  components: FormComponent[];
  fees: { totalVnd: number; paidVnd: number; items: { name: string; amountVnd: number; per?: string }[] };
  state: DossierState;
  events: DossierEvent[];
  procedure: ProcedureDefinition;
  units: { support: UnitName; receiving: UnitName; competent: UnitName };
  /** Names of the officers the events and the control slip mention. */
  staffNames: Map<number, string>;
  /** The public tracking page of the dossier (form 01's QR code). */
  trackingUrl: string;
};

export const CHANNEL_NAMES_VI: Record<Channel, string> = {
  counter: 'Trực tiếp',
  online: 'Trực tuyến',
  postal: 'Qua dịch vụ bưu chính công ích',
};

/** "Mỹ Hiệp, ngày 29 tháng 11 năm 2026". */
export function placeAndDate(unit: UnitName, at: Date) {
  return `${splitUnitName(unit.name).bare}, ${formatDocumentDate(at)}`;
}

/** "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "CÔNG AN THÀNH PHỐ HUẾ": province names carry their type. */
function provinceBody(prefix: string, provinceName: string) {
  return `${prefix} ${provinceName}`.toUpperCase();
}

/** The one-stop centre of the receiving commune issues forms 01, 02, 03, 06 and 07. */
export function centreHeading(d: DossierRecord, at: Date): DocumentHeading {
  return {
    issuerParent: `Ủy ban nhân dân ${d.units.receiving.name}`,
    issuer: 'Trung tâm Phục vụ hành chính công',
    number: null,
    placeAndDate: placeAndDate(d.units.receiving, at),
  };
}

/** Is the competent agency the commune police (residence procedures)? */
export function isPoliceProcedure(procedure: ProcedureDefinition) {
  return /^công an/i.test(procedure.competentAgency);
}

/** The agency that decides: the commune People's Committee, or the commune police for residence. */
export function competentHeading(d: DossierRecord, at: Date, number: string | null): DocumentHeading {
  const unit = d.units.competent;
  if (isPoliceProcedure(d.procedure)) {
    return {
      issuerParent: provinceBody('Công an', unit.provinceName),
      issuer: `Công an ${unit.name}`,
      number,
      placeAndDate: placeAndDate(unit, at),
    };
  }
  // A commune People's Committee heads its papers alone (Decree 30/2020 names no parent body for it).
  return {
    issuerParent: null,
    issuer: `Ủy ban nhân dân ${unit.name}`,
    number,
    placeAndDate: placeAndDate(unit, at),
  };
}

/** The short name of the competent body, e.g. "UBND Xã Mỹ Hiệp", "Công an Xã Mỹ Hiệp". */
export function competentBodyName(d: DossierRecord) {
  return isPoliceProcedure(d.procedure)
    ? `Công an ${d.units.competent.name}`
    : `Ủy ban nhân dân ${d.units.competent.name}`;
}

export function lastEvent(d: DossierRecord, type: DossierEvent['type']) {
  return d.events.findLast((e) => e.type === type) ?? null;
}

export function staffName(d: DossierRecord, id: number | null | undefined) {
  return id === null || id === undefined ? '' : (d.staffNames.get(id) ?? `Cán bộ số ${id}`);
}

/** How the control slip names a party: the role and the person, the other agency, or the applicant. */
export function partyLabel(d: DossierRecord, party: Party) {
  switch (party.kind) {
    case 'applicant':
      return 'Người nộp hồ sơ';
    case 'agency':
      return party.name;
    default: {
      const title = ROLE_TITLES_VI[party.role];
      if (party.accountId === null) return title;
      const name = staffName(d, party.accountId);
      return name.startsWith(title) ? name : `${title} ${name}`;
    }
  }
}

/** Every staff id the events and control slip mention, to look their names up in one query. */
export function mentionedStaff(state: DossierState, events: DossierEvent[]): number[] {
  const ids = new Set<number>();
  for (const e of events) ids.add(e.actor.id);
  for (const row of state.controlSlip) {
    ids.add(row.by);
    for (const p of [row.from, row.to]) if (p.kind === 'staff' && p.accountId !== null) ids.add(p.accountId);
  }
  return [...ids];
}

/** A form's writer: its metadata (the dossier code for the verifier), heading and title already written. */
export async function startForm(
  d: DossierRecord,
  form: { no: string; name: string; heading: DocumentHeading; title?: string; subtitle?: string },
  at: Date,
): Promise<PdfWriter> {
  const w = await createPdfWriter({
    title: `${form.name} ${d.code}`,
    subject: d.procedure.name,
    author: form.heading.issuer,
    dossierCode: d.code,
    footer: `Mẫu số ${form.no} · ${d.code}`,
    createdAt: at,
  });
  w.heading(form.heading);
  w.title(form.title ?? form.name, form.subtitle ?? `Mã hồ sơ: ${d.code}`);
  return w;
}

/** Who asks for what: the applicant's name, ID, address (with `address`) and the procedure. */
export function writeApplicantAndRequest(
  w: PdfWriter,
  d: DossierRecord,
  options: { address?: boolean; label?: string } = {},
) {
  w.field(options.label ?? 'Ông/Bà', d.applicant.fullName);
  w.field('Số định danh cá nhân', d.applicant.citizenId);
  if (options.address !== false) w.field('Địa chỉ', d.applicant.address.formatted);
  w.field('Nội dung yêu cầu giải quyết', `${d.procedure.name} (mã thủ tục ${d.procedure.code})`);
}

/** "Kính gửi: Ông/Bà …", centred, as letters to the applicant open. */
export function writeAddressee(w: PdfWriter, d: DossierRecord) {
  w.paragraph([{ text: 'Kính gửi: ' }, { text: `Ông/Bà ${d.applicant.fullName}`, style: 'bold' }], {
    align: 'center',
    spaceAfter: 10,
  });
}
