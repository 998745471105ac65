import { z } from 'zod';
import { Duration } from '../calendar/schemas.ts';
import { ProcedureFee } from '../catalog/procedure.schemas.ts';
import { RESULT_TEMPLATES } from '../documents/result-details.ts';
import { StaffRole } from '../identity/roles.ts';
import { Paged } from '../paging.ts';
import { DOSSIER_ACTIONS } from './dossier-actions.ts';
import { ControlSlipRow, DossierStateSchema } from './dossier-state.ts';
import { CHANNELS, DOSSIER_STATES } from './dossier-status.ts';

/**
 * The wire contract of the dossier routes: the server serializes its answers with these schemas and the
 * web reads them with the same ones. What a dossier keeps of its intake (the applicant, the papers, the
 * fees) is described as it is stored, by every writer: the counter, the portal and the generated history.
 */

/** The applicant's address tied to its current commune, as intake resolved it. */
export const StoredAddress = z.object({
  text: z.string(),
  communeCode: z.string(),
  formatted: z.string(),
  /** The names of the units before the 2025 merger that the text named. */
  oldUnits: z.array(z.string()),
});
export type StoredAddress = z.infer<typeof StoredAddress>;

export const StoredApplicant = z.object({
  citizenId: z.string(),
  fullName: z.string(),
  /** Null when VNeID gave none. */
  dateOfBirth: z.string().nullable().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  /** false when the applicant declined messages about the dossier. */
  notify: z.boolean().optional(),
  /** Resolved at intake; a plain line on the generated history's dossiers. */
  address: z.union([StoredAddress, z.string()]).optional(),
  /** Who vouched for the person when they filed online. */
  identity: z.object({ provider: z.string(), level: z.number() }).optional(),
});
export type StoredApplicant = z.infer<typeof StoredApplicant>;

/** A paper of the dossier's checklist and whether it was handed in. */
export const StoredComponent = z.object({
  key: z.string(),
  name: z.string(),
  requirement: z.enum(['required', 'conditional']),
  originals: z.number(),
  copies: z.number(),
  handedIn: z.boolean(),
});
export type StoredComponent = z.infer<typeof StoredComponent>;

/** What the dossier owes: the procedure's fees at intake, their total per dossier, what was paid. */
export const StoredFees = z.object({
  items: z.array(ProcedureFee),
  totalVnd: z.number(),
  paidVnd: z.number(),
  paidOnline: z.boolean().optional(),
});
export type StoredFees = z.infer<typeof StoredFees>;

/** The officer or volunteer who filed online for a present citizen, with the citizen's consent. */
export const Assisted = z.object({
  byId: z.number(),
  byName: z.string(),
  role: StaffRole,
  unitCode: z.string(),
  consent: z.boolean(),
  at: z.string(),
  note: z.string().nullable(),
});
export type Assisted = z.infer<typeof Assisted>;

/** POST /api/dossiers: the new dossier's code and where it stands. */
export const IntakeAnswer = z.object({
  id: z.number(),
  code: z.string(),
  status: z.enum(DOSSIER_STATES),
  statusCode: z.number(),
  dueAt: z.string().nullable(),
  version: z.number(),
});
export type IntakeAnswer = z.infer<typeof IntakeAnswer>;

/** A row of the work lists (GET /api/dossiers). */
export const DossierListItem = z.object({
  id: z.number(),
  code: z.string(),
  channel: z.enum(CHANNELS),
  applicantName: z.string(),
  citizenId: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  receivingUnitCode: z.string(),
  status: z.enum(DOSSIER_STATES),
  statusCode: z.number(),
  stepKey: z.string().nullable(),
  submittedAt: z.string(),
  dueAt: z.string().nullable(),
  stepDueAt: z.string().nullable(),
  overdue: z.boolean(),
  version: z.number(),
});
export type DossierListItem = z.infer<typeof DossierListItem>;
export const DossierList = Paged(DossierListItem);

const S = DossierStateSchema.shape;

/** GET /api/dossiers/:id and every action's answer: the dossier in full, with what the caller may do now. */
export const DossierView = z.object({
  id: z.number(),
  code: z.string(),
  status: S.state,
  statusCode: z.number(),
  /** The national status's name (Decision 766). */
  statusName: z.string(),
  /** The state's name in the staff app's words. */
  stateName: z.string(),
  version: z.number(),
  channel: S.channel,
  ruleVersion: z.string(),
  procedure: z.object({ code: z.string(), name: z.string(), version: z.number(), duration: Duration }),
  units: z.object({
    support: z.string(),
    receiving: z.string(),
    competent: z.string(),
    province: z.string(),
  }),
  applicant: StoredApplicant,
  /** Filed online for the citizen, in person, by whom and with their consent (null otherwise). */
  assisted: Assisted.nullable(),
  components: z.array(StoredComponent),
  fees: StoredFees,
  submittedAt: S.submittedAt,
  receivedAt: S.receivedAt,
  clockStartAt: S.clockStartAt,
  statutoryDueAt: S.statutoryDueAt,
  dueAt: S.dueAt,
  /** Being handled and past the promised date. */
  overdue: z.boolean(),
  step: z
    .object({
      index: z.number(),
      key: z.string(),
      name: z.string(),
      role: StaffRole,
      dueAt: z.string().nullable(),
    })
    .nullable(),
  holder: S.holder,
  pause: S.pause,
  pauses: S.pauses,
  transfer: S.transfer,
  apologies: S.apologies,
  supplementRequests: S.supplementRequests,
  resultReadyAt: S.resultReadyAt,
  returnedAt: S.returnedAt,
  closedAt: S.closedAt,
  /** Form 06's rows; `action` is 'intake' or the action's name. */
  controlSlip: z.array(ControlSlipRow.extend({ action: z.enum(['intake', ...DOSSIER_ACTIONS]) })),
  /** The forms of Circular 03/2025 it has grounds for (GET …/forms/NN.pdf answers 409 for the others). */
  forms: S.forms,
  allowedActions: z.array(z.object({ action: z.enum(DOSSIER_ACTIONS), name: z.string() })),
  /** The caller's role signs this procedure's result and the dossier awaits it (POST …/result/sign). */
  canSignResult: z.boolean(),
  /** The template the result is rendered with, and so the details signing asks for. */
  resultTemplate: z.enum(Object.keys(RESULT_TEMPLATES) as [keyof typeof RESULT_TEMPLATES]),
});
export type DossierView = z.infer<typeof DossierView>;

/** GET /api/dossiers/:id/events: the append-only log; `data` is the event's details as its action wrote them. */
export const DossierEvents = z.object({
  items: z.array(
    z.object({
      type: z.string(),
      at: z.string(),
      actor: z.object({ id: z.number(), role: z.string() }),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
});

/** The address as one line to show: the resolved form, or the line the generated history kept. */
export function addressLine(address: StoredApplicant['address']): string {
  if (address === undefined) return '';
  return typeof address === 'string' ? address : address.formatted;
}

/** The address as the applicant gave it (to fill a new form with). */
export function addressText(address: StoredApplicant['address']): string {
  if (address === undefined) return '';
  return typeof address === 'string' ? address : address.text;
}
