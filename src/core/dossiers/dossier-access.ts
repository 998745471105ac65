import type { StaffPrincipal } from '../identity/roles.ts';
import { COMMUNE_HANDLING_ROLES } from './dossier-actions.ts';

export type DossierScope = {
  supportUnitCode: string;
  receivingUnitCode: string;
  competentUnitCode: string;
  provinceCode: string;
  /** The officer who filed it; null when the citizen submitted it online themselves. */
  createdBy: number | null;
};

function touchesUnit(d: DossierScope, unitCode: string) {
  return (
    d.supportUnitCode === unitCode || d.receivingUnitCode === unitCode || d.competentUnitCode === unitCode
  );
}

/**
 * Who may see a dossier: the officers of any of its three communes, the province's roles for its own
 * communes, the ministry and the system administrator everywhere, a volunteer the dossiers they filed.
 * The commune administrator keeps reference data and has no business reading citizens' files.
 */
export function canReadDossier(staff: StaffPrincipal, d: DossierScope): boolean {
  switch (staff.role) {
    case 'system_admin':
    case 'ministry_viewer':
      return true;
    case 'province_admin':
    case 'province_inspector':
      return staff.unitCode === d.provinceCode;
    case 'support_volunteer':
      return d.createdBy === staff.id && touchesUnit(d, staff.unitCode);
    case 'commune_admin':
      return false;
    default:
      return touchesUnit(d, staff.unitCode);
  }
}

/** Who may act on it at all (the machine then checks the action against the role and the step). */
export function canActOnDossier(staff: StaffPrincipal, d: DossierScope): boolean {
  return COMMUNE_HANDLING_ROLES.has(staff.role) && touchesUnit(d, staff.unitCode);
}

/**
 * Whose role may ever open a citizen's personal store (kho dữ liệu): the officers who handle dossiers.
 * That alone opens nothing: the store opens for one dossier the officer may act on, the applicant's
 * store only, with the applicant's consent for that dossier (documents/consent); every read is audited.
 * Volunteers file for citizens who are present, with their papers in hand, and do not browse stores.
 */
export function canReadCitizenStore(staff: StaffPrincipal): boolean {
  return COMMUNE_HANDLING_ROLES.has(staff.role);
}
