import type { StaffPrincipal } from '../identity/roles.ts';
import { COMMUNE_HANDLING_ROLES, type DossierAction } from './dossier-actions.ts';
import type { DossierStateName } from './dossier-status.ts';

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
 * What a commune that received a dossier for another (the competent one) may do with it: the counter's
 * work, from taking it in to routing it to the competent commune's officers, and handing back the
 * result. A supplement is asked for only while the dossier is still at reception.
 */
const RECEPTION_ACTIONS: Partial<Record<DossierAction, readonly DossierStateName[] | 'any'>> = {
  receive: 'any',
  refuse: 'any',
  'request-supplement': ['submitted', 'received'],
  'supplement-received': 'any',
  assign: ['received'],
  'return-result': 'any',
  withdraw: 'any',
};

/**
 * Whether the caller's commune may take this action on the dossier in this state: the competent
 * commune decides everything; the receiving (or support) commune only the counter's work. The role and
 * step rules of the machine come on top.
 */
export function unitMayTakeAction(
  staff: StaffPrincipal,
  d: DossierScope,
  action: DossierAction,
  state: DossierStateName,
): boolean {
  if (!canActOnDossier(staff, d)) return false;
  if (staff.unitCode === d.competentUnitCode) return true;
  const from = RECEPTION_ACTIONS[action];
  return from === 'any' || (from?.includes(state) ?? false);
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
