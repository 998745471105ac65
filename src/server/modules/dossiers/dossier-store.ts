import { DOSSIER_CASE, type DossierEvent } from '../../../core/dossiers/dossier-machine.ts';
import type { DossierState } from '../../../core/dossiers/dossier-state.ts';
import { foldVietnamese } from '../../../core/units/unit-names.ts';
import type { CaseStore, CaseSubscriber } from '../../kernel/case-writer.ts';
import { createCaseWriter } from '../../kernel/case-writer.ts';
import type { createDossiersRepository, DossierRow, NewDossier } from './dossiers.repository.ts';

/** What the audit entry keeps of a dossier's state before and after an event. */
export function dossierSummary(s: DossierState) {
  return { state: s.state, statusCode: s.statusCode, dueAt: s.dueAt, version: s.version, stepKey: s.stepKey };
}

/** The dossier tables behind the kernel's store interface. */
export function createDossierStore(
  repo: ReturnType<typeof createDossiersRepository>,
): CaseStore<DossierState, DossierEvent, DossierRow, Omit<NewDossier, 'applicantNameFolded'>> {
  return {
    async lock(trx, id) {
      const row = await repo.findById(trx, id, { forUpdate: true });
      return row ? { row, state: row.current } : undefined;
    },
    async insert(trx, state, event, d, audit) {
      const row: DossierRow = {
        id: 0,
        code: d.code,
        procedure_version_id: d.procedureVersionId,
        procedure_code: d.procedureCode,
        channel: d.channel,
        support_unit_code: d.supportUnitCode,
        receiving_unit_code: d.receivingUnitCode,
        competent_unit_code: d.competentUnitCode,
        province_code: d.provinceCode,
        rule_version: d.ruleVersion,
        applicant: d.applicant,
        components: d.components,
        fees: d.fees,
        snapshot: DOSSIER_CASE.toSnapshot(state) as unknown as DossierRow['snapshot'],
        version: state.version,
        created_by: d.createdBy,
        assisted: d.assisted ?? null,
        current: state,
      };
      // The audit entry goes in the insert's own statement (its id is the new dossier's).
      const { id, code, audited } = await repo.insertDossier(
        trx,
        { ...d, applicantNameFolded: foldVietnamese(d.applicant.fullName) },
        state,
        event,
        audit?.(row),
      );
      row.id = id;
      // The code the insert allocated: the event and the row say it from here on (subscribers read them).
      row.code = code;
      (event.data as { code: string }).code = code;
      return { id, row, audited };
    },
    append: (trx, id, seq, event) => repo.insertEvent(trx, id, seq, event),
    save: (trx, id, state, event) => repo.updateState(trx, id, state, event.at),
    unitOf: (row) => row.receiving_unit_code,
    label: (row) => ({ code: row.code }),
    summary: dossierSummary,
  };
}

/** The dossiers' writer: every intake and action, staff's or citizen's, goes through it. */
export function createDossierWriter(
  repo: ReturnType<typeof createDossiersRepository>,
  now: () => Date,
  subscribers: ReadonlyArray<CaseSubscriber<DossierState, DossierEvent, DossierRow>> = [],
) {
  return createCaseWriter({
    caseType: DOSSIER_CASE,
    store: createDossierStore(repo),
    now,
    subscribers,
  });
}

export type DossierWriter = ReturnType<typeof createDossierWriter>;
