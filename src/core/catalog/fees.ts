import type { ProcedureDefinition } from './procedure.schemas.ts';

/** What a dossier owes: the procedure's fees, the total of those charged per dossier, what was paid. */
export function feesOf(procedure: Pick<ProcedureDefinition, 'fees'>, paidVnd: number) {
  return {
    items: procedure.fees,
    totalVnd: procedure.fees.filter((f) => !f.per).reduce((sum, f) => sum + f.amountVnd, 0),
    paidVnd,
  };
}
