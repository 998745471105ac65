import type { ProcedureDefinition } from '../../../core/catalog/procedure.schemas.ts';
import { templateOf } from '../../../core/documents/result-details.ts';
import type { DossierAction } from '../../../core/dossiers/dossier-actions.ts';
import { ACTION_NAMES_VI } from '../../../core/dossiers/dossier-actions.ts';
import { formsOf, isOverdue, listAllowedActions } from '../../../core/dossiers/dossier-machine.ts';
import { NATIONAL_STATUS_NAMES, STATE_NAMES_VI } from '../../../core/dossiers/dossier-status.ts';
import type { DossierView } from '../../../core/dossiers/dossier-views.schemas.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import type { DossierRow } from './dossiers.repository.ts';

/**
 * The full staff view of a dossier, with the actions the caller may take now: those of their role
 * that their commune may take (`unitMay`: the competent commune decides, a receiving one only receives).
 */
export function toDossierView(
  row: DossierRow,
  procedure: ProcedureDefinition,
  version: number,
  staff: Pick<StaffPrincipal, 'role' | 'unitCode'>,
  now: Date,
  unitMay: (action: DossierAction) => boolean,
): DossierView {
  const s = row.current;
  const step = s.stepIndex === null ? null : procedure.steps[s.stepIndex];
  const allowed = listAllowedActions(s, procedure, staff.role).filter(unitMay);
  return {
    id: row.id,
    code: row.code,
    status: s.state,
    statusCode: s.statusCode,
    statusName: NATIONAL_STATUS_NAMES[s.statusCode]?.vi ?? '',
    stateName: STATE_NAMES_VI[s.state],
    version: s.version,
    channel: row.channel,
    ruleVersion: row.rule_version,
    procedure: { code: procedure.code, name: procedure.name, version, duration: procedure.duration },
    units: {
      support: row.support_unit_code,
      receiving: row.receiving_unit_code,
      competent: row.competent_unit_code,
      province: row.province_code,
    },
    applicant: row.applicant,
    /** Filed online for the citizen, in person, by whom and with their consent (null otherwise). */
    assisted: row.assisted ?? null,
    components: row.components,
    fees: row.fees,
    submittedAt: s.submittedAt,
    receivedAt: s.receivedAt,
    clockStartAt: s.clockStartAt,
    statutoryDueAt: s.statutoryDueAt,
    dueAt: s.dueAt,
    /** Being handled and past the promised date. */
    overdue: isOverdue(s, now),
    step:
      step && s.stepIndex !== null
        ? { index: s.stepIndex, key: step.key, name: step.name, role: step.role, dueAt: s.stepDueAt }
        : null,
    holder: s.holder,
    pause: s.pause,
    pauses: s.pauses,
    transfer: s.transfer,
    apologies: s.apologies,
    supplementRequests: s.supplementRequests,
    resultReadyAt: s.resultReadyAt,
    returnedAt: s.returnedAt,
    closedAt: s.closedAt,
    controlSlip: s.controlSlip,
    /** The forms of Circular 03/2025 it has grounds for (GET …/forms/NN.pdf answers 409 for the others). */
    forms: formsOf(s),
    allowedActions: allowed.map((a) => ({ action: a, name: ACTION_NAMES_VI[a] })),
    /** The caller's role signs this procedure's result and the dossier awaits it (POST …/result/sign). */
    canSignResult:
      s.state === 'approved' &&
      procedure.steps.at(-1)?.role === staff.role &&
      staff.unitCode === row.competent_unit_code,
    /** The template the result is rendered with, and so the details signing asks for. */
    resultTemplate: templateOf(procedure.resultKind),
  };
}
