import type { StaffPrincipal } from '../identity/roles.ts';
import type { ProcedureDefinition } from './procedure.schemas.ts';

/** The scope of the national version of a procedure; a province variant's scope is the province code. */
export const NATIONAL_SCOPE = 'VN';

/** What a province may adjust for its own communes; everything else is the ministry's. */
export const VARIANT_FIELDS = ['fees', 'steps', 'duration', 'durationNote'] as const;

/**
 * May this person create, publish or retire versions in the scope? The national catalogue belongs to the
 * ministry, run by the system administrator; a province administrator manages only its own variants.
 */
export function canManageCatalogueScope(staff: StaffPrincipal, scope: string) {
  if (staff.role === 'system_admin') return true;
  return staff.role === 'province_admin' && scope !== NATIONAL_SCOPE && staff.unitCode === scope;
}

/** May this person see a procedure's versions at all (drafts included)? */
export function canReadCatalogueVersions(staff: StaffPrincipal) {
  return staff.role === 'system_admin' || staff.role === 'province_admin';
}

/** The scope a write goes to when none is named: the person's own (province admins: their province). */
export function defaultCatalogueScope(staff: StaffPrincipal) {
  return staff.role === 'province_admin' ? staff.unitCode : NATIONAL_SCOPE;
}

// Stored definitions come back from jsonb with keys reordered, so compare with sorted keys.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The fields a province variant changed that only the national version may change (empty when none). */
export function lockedFieldsChanged(national: ProcedureDefinition, variant: ProcedureDefinition) {
  const open = new Set<string>(VARIANT_FIELDS);
  const keys = new Set([...Object.keys(national), ...Object.keys(variant)]);
  return [...keys]
    .filter((k) => !open.has(k))
    .filter(
      (k) =>
        canonical((national as Record<string, unknown>)[k]) !==
        canonical((variant as Record<string, unknown>)[k]),
    )
    .sort();
}
