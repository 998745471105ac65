import { toLocalDate } from '../../../core/calendar/vn-time.ts';
import type { ProcedureDefinition } from '../../../core/catalog/procedure.schemas.ts';
import type { IntakeInput } from '../../../core/dossiers/dossier-inputs.ts';
import type { Assisted } from '../../../core/dossiers/dossier-views.schemas.ts';
import { AppError } from '../../../core/errors.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { UnitsService } from '../units/units.service.ts';
import type { NewDossier } from './dossiers.repository.ts';

/** The three units of a dossier, checked: current communes of the officer's own province. */
export async function resolveUnits(units: UnitsService, staff: StaffPrincipal, input: IntakeInput) {
  const support = staff.unitCode;
  const receiving = input.receivingUnitCode ?? support;
  const competent = input.competentUnitCode ?? receiving;
  const fields: Record<string, string> = {};
  let provinceCode = '';
  for (const [field, code] of [
    ['body.receivingUnitCode', receiving],
    ['body.competentUnitCode', competent],
    ['support', support],
  ] as const) {
    const unit = await findUnit(units, code);
    if (!unit?.current || unit.level !== 'commune') {
      fields[field] = `Không có xã, phường hiện hành mã ${code}`;
      continue;
    }
    if (field === 'support') provinceCode = unit.provinceCode;
    else if (unit.provinceCode !== staff.provinceCode) {
      fields[field] = 'Chỉ tiếp nhận hồ sơ của xã, phường trong cùng tỉnh';
    }
  }
  if (fields.support) throw new AppError('FORBIDDEN');
  if (Object.keys(fields).length > 0) throw new AppError('VALIDATION_FAILED', {}, fields);
  return { support, receiving, competent, provinceCode };
}

/** The checklist against the procedure: unknown keys are an input error, missing required ones 422. */
export function checkComponents(
  procedure: ProcedureDefinition,
  given: readonly string[],
  options: { allowMissing?: boolean } = {},
) {
  const known = new Map(procedure.components.map((c) => [c.key, c]));
  const unknown = given.filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      {
        'body.components': `Thủ tục ${procedure.code} không có thành phần: ${unknown.join(', ')}`,
      },
    );
  }
  const handed = new Set(given);
  const missing = procedure.components.filter((c) => c.requirement === 'required' && !handed.has(c.key));
  if (missing.length > 0 && !options.allowMissing) {
    throw new AppError(
      'MISSING_COMPONENTS',
      { names: missing.map((c) => c.name).join('; ') },
      { 'body.components': `Thiếu: ${missing.map((c) => c.key).join(', ')}` },
      { missing: missing.map((c) => ({ key: c.key, name: c.name })) },
    );
  }
  const components = procedure.components.map((c) => ({
    key: c.key,
    name: c.name,
    requirement: c.requirement,
    originals: c.originals,
    copies: c.copies,
    handedIn: handed.has(c.key),
  }));
  return { components, missing: missing.map((c) => c.key) };
}

/** The applicant's address tied to a current commune: picked by the officer, or read from the text. */
export async function resolveAddress(units: UnitsService, applicant: IntakeInput['applicant']) {
  if (applicant.addressCommuneCode) {
    const unit = await findUnit(units, applicant.addressCommuneCode);
    if (!unit?.current || unit.level !== 'commune') {
      throw new AppError(
        'VALIDATION_FAILED',
        {},
        {
          'body.applicant.addressCommuneCode': `Không có xã, phường hiện hành mã ${applicant.addressCommuneCode}`,
        },
      );
    }
    return {
      text: applicant.address,
      communeCode: unit.code,
      formatted: `${applicant.address}, ${unit.name}, ${unit.provinceName}`,
      oldUnits: [] as string[],
    };
  }
  const normalized = await units.normalizeAddress(applicant.address);
  if (normalized.status !== 'resolved' || !normalized.commune) {
    const choices = normalized.candidates.map((c) => `${c.name} (${c.code})`).join(', ');
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      {
        'body.applicant.address':
          normalized.status === 'ambiguous'
            ? `Địa chỉ có thể thuộc nhiều xã, phường: ${choices}. Hãy chọn xã, phường (addressCommuneCode).`
            : 'Không xác định được xã, phường của địa chỉ. Hãy ghi rõ xã/phường, tỉnh hoặc chọn xã, phường.',
      },
    );
  }
  return {
    text: applicant.address,
    communeCode: normalized.commune.code,
    formatted: normalized.formatted ?? applicant.address,
    oldUnits: normalized.matchedOld.map((u) => u.name),
  };
}

/** The unit, or null when no unit has the code; any other failure (the database) stays a failure. */
function findUnit(units: UnitsService, code: string) {
  return units.getUnitRecord(code).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'UNIT_NOT_FOUND') return null;
    throw err;
  });
}

/**
 * The procedure as published now for a new dossier of a province's commune (its variant, else the national
 * version): an unknown code is the caller's field error.
 */
export function getPublishedForIntake(catalog: CatalogService, code: string, provinceCode: string | null) {
  return catalog.getPublished(code, provinceCode).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'PROCEDURE_NOT_FOUND') {
      throw new AppError(
        'VALIDATION_FAILED',
        {},
        { 'body.procedureCode': `Không có thủ tục mã ${code} đang được áp dụng` },
      );
    }
    throw err;
  });
}

/**
 * A dossier code the insert allocates from the receiving unit's counter of the day, in its own statement
 * (UNIT-yyMMdd-NNNN): the counter stays locked from there to the commit only. Until then the event, the
 * row and the audit entry hold CODE_TO_ALLOCATE, which the statement replaces; no input can hold that
 * string: a request with a NUL character is refused (plugins/text-input.ts), and so is text with one by
 * the database.
 */
export type CodeToAllocate = { unitCode: string; day: string; prefix: string };
export const CODE_TO_ALLOCATE = '\u0000code\u0000';

/** The code of the receiving unit's day, to be allocated by the dossier's insert. */
export function codeOfTheDay(unitCode: string, now: Date): CodeToAllocate {
  const day = toLocalDate(now);
  return { unitCode, day, prefix: `${unitCode}-${day.slice(2).replaceAll('-', '')}-` };
}

/** What a new dossier is made of, however it came in (the counter, the portal, later an offline replay). */
export type NewDossierParts = {
  /** A code given (a replayed offline intake's), or the day's next one. */
  code: string | CodeToAllocate;
  channel: 'counter' | 'online' | 'postal';
  procedure: { id: number; version: number; definition: ProcedureDefinition };
  units: { support: string; receiving: string; competent: string; provinceCode: string };
  applicant: NewDossier['applicant'];
  components: NewDossier['components'];
  fees: NewDossier['fees'];
  note: string | null;
  ruleVersion: string;
  createdBy: number | null;
  createdByCitizen?: number | null;
  assisted?: Assisted | null;
};

/** The intake event's details and the dossier's row, from one description (the writer's `create`). */
export function newDossier(p: NewDossierParts) {
  const def = p.procedure.definition;
  const code = typeof p.code === 'string' ? p.code : CODE_TO_ALLOCATE;
  return {
    input: {
      channel: p.channel,
      details: {
        code,
        procedure: { code: def.code, versionId: p.procedure.id, version: p.procedure.version },
        applicant: p.applicant,
        components: p.components,
        fees: p.fees,
        units: p.units,
        note: p.note,
      },
    },
    row: {
      code,
      ...(typeof p.code === 'string' ? {} : { codeFor: p.code }),
      procedureVersionId: p.procedure.id,
      procedureCode: def.code,
      channel: p.channel,
      supportUnitCode: p.units.support,
      receivingUnitCode: p.units.receiving,
      competentUnitCode: p.units.competent,
      provinceCode: p.units.provinceCode,
      ruleVersion: p.ruleVersion,
      applicant: p.applicant,
      components: p.components,
      fees: p.fees,
      createdBy: p.createdBy,
      createdByCitizen: p.createdByCitizen ?? null,
      assisted: p.assisted ?? null,
    },
    audit: { procedure: def.code, channel: p.channel },
  };
}
