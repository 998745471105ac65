import type { Channel } from '../../../core/dossiers/dossier-status.ts';
import {
  addressLine,
  addressText,
  type StoredApplicant,
} from '../../../core/dossiers/dossier-views.schemas.ts';
import type { DossiersService } from '../dossiers/dossiers.service.ts';
import type { Actor, IdentityService } from '../identity/identity.service.ts';
import type { UnitsService } from '../units/units.service.ts';
import {
  type DossierRecord,
  type FormApplicant,
  mentionedStaff,
  type UnitName,
} from './forms/form-context.ts';

export type RecordDeps = {
  dossiers: DossiersService;
  units: UnitsService;
  identity: IdentityService;
  /** Where citizens reach the product (no trailing slash). */
  publicUrl: string;
};

/** The public tracking page of a dossier, as form 01's QR code and the results link to it. */
export function trackingUrl(publicUrl: string, code: string) {
  return `${publicUrl}/track/${encodeURIComponent(code)}`;
}

/**
 * Reads one dossier the caller may see, with the names of its units and officers, as forms and results
 * are filled from it. The read is audited under `action` by the dossiers service.
 */
export function createRecordLoader(deps: RecordDeps) {
  async function unitName(code: string): Promise<UnitName> {
    const unit = await deps.units.getUnitRecord(code);
    return { code: unit.code, name: unit.name, provinceName: unit.provinceName };
  }

  return async function loadRecord(
    actor: Actor,
    id: number,
    action: string,
    details: Record<string, unknown> = {},
  ): Promise<DossierRecord> {
    const { row, state, events, procedure } = await deps.dossiers.getRecord(actor, id, action, details);
    const [support, receiving, competent, staffNames] = await Promise.all([
      unitName(row.support_unit_code),
      unitName(row.receiving_unit_code),
      unitName(row.competent_unit_code),
      deps.identity.listNames(mentionedStaff(state, events)),
    ]);
    return {
      id: row.id,
      code: row.code,
      channel: row.channel as Channel,
      ruleVersion: row.rule_version,
      applicant: formApplicant(row.applicant),
      components: row.components,
      fees: row.fees,
      state,
      events,
      procedure: procedure.definition,
      units: { support, receiving, competent },
      staffNames,
      trackingUrl: trackingUrl(deps.publicUrl, row.code),
    };
  };
}

export type RecordLoader = ReturnType<typeof createRecordLoader>;

/** The applicant as the forms print them: the address as one line (a plain line on the generated history). */
function formApplicant(a: StoredApplicant): FormApplicant {
  return {
    citizenId: a.citizenId,
    fullName: a.fullName,
    dateOfBirth: a.dateOfBirth ?? null,
    ...(a.phone ? { phone: a.phone } : {}),
    ...(a.email ? { email: a.email } : {}),
    address: { text: addressText(a.address), formatted: addressLine(a.address) },
  };
}
