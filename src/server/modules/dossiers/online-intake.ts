import type { Kysely, Transaction } from 'kysely';
import { feesOf } from '../../../core/catalog/fees.ts';
import type { OnlineSubmission } from '../../../core/dossiers/dossier-inputs.ts';
import { AppError } from '../../../core/errors.ts';
import type { CitizenPrincipal } from '../../../core/identity/citizen.ts';
import type { DB } from '../../db/schema.ts';
import type { WriterActor } from '../../kernel/case-writer.ts';
import { runIdempotent } from '../../kernel/idempotency.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { RequestOrigin } from '../identity/identity.service.ts';
import type { UnitsService } from '../units/units.service.ts';
import {
  checkComponents,
  codeOfTheDay,
  getPublishedForIntake,
  newDossier,
  resolveAddress,
} from './dossier-intake.ts';
import type { DossierWriter } from './dossier-store.ts';

export type CitizenActor = RequestOrigin & { citizen: CitizenPrincipal };

/** The audit log's actor of a write by a citizen. */
export function citizenWriter(actor: CitizenActor): WriterActor {
  return {
    kind: 'citizen',
    id: actor.citizen.id,
    requestId: actor.requestId,
    ip: actor.ip,
    userAgent: actor.userAgent,
  };
}

type Deps = {
  db: Kysely<DB>;
  catalog: CatalogService;
  calendar: CalendarService;
  units: UnitsService;
  writer: DossierWriter;
  ruleVersion: string;
};

/** What the caller adds inside the same transaction: the draft's files become the dossier's documents. */
export type AttachPapers = (
  trx: Transaction<DB>,
  dossier: { id: number; code: string; unitCode: string },
) => Promise<void>;

/**
 * A citizen files online with their VNeID: the procedure must take online dossiers at the citizen's
 * identity level, the applicant is who VNeID says, the papers are those the caller attaches. The dossier
 * waits for the centre's reception (status 1); the same Idempotency-Key never files twice.
 */
export function createOnlineIntake(deps: Deps) {
  const { db, catalog, units, calendar, writer } = deps;

  async function procedureFor(citizen: CitizenPrincipal, code: string, provinceCode: string | null = null) {
    const procedure = await getPublishedForIntake(catalog, code, provinceCode);
    const def = procedure.definition;
    if (def.vneidLevel === null) throw new AppError('PROCEDURE_NOT_ONLINE', { name: def.name });
    if (citizen.level < def.vneidLevel) {
      throw new AppError('IDENTITY_LEVEL_TOO_LOW', { needed: def.vneidLevel, level: citizen.level });
    }
    return procedure;
  }

  return {
    /** Checks what can be checked before any file is sent: the procedure takes this citizen online. */
    checkEligible: procedureFor,

    async submit(
      actor: CitizenActor,
      input: OnlineSubmission,
      handedIn: readonly string[],
      idempotencyKey: string | undefined,
      attach: AttachPapers,
    ) {
      const { citizen } = actor;
      return runIdempotent(
        db,
        {
          scope: `citizen:${citizen.id}`,
          key: idempotencyKey,
          route: 'POST /api/citizen/dossiers',
          // The papers are the draft's, which the first success removed: a retry is judged by what was sent.
          fingerprint: input,
        },
        async () => {
          // Eligibility and papers are the national version's (a province variant cannot change them).
          const { components } = checkComponents(
            (await procedureFor(citizen, input.procedureCode)).definition,
            handedIn,
          );
          const address = await resolveAddress(units, {
            citizenId: citizen.citizenId,
            fullName: citizen.fullName,
            dateOfBirth: citizen.dateOfBirth ?? '',
            address: input.contact.address,
            ...(input.contact.addressCommuneCode
              ? { addressCommuneCode: input.contact.addressCommuneCode }
              : {}),
          }).catch((err: unknown) => {
            // The same field names as the form the citizen filled.
            if (err instanceof AppError && err.fields) {
              const fields = Object.fromEntries(
                Object.entries(err.fields).map(([k, v]) => [
                  k.replace('body.applicant.', 'body.contact.'),
                  v,
                ]),
              );
              throw new AppError(err.code, err.params, fields);
            }
            throw err;
          });
          const receiving = input.receivingUnitCode ?? address.communeCode;
          const unit = await units.getUnitRecord(receiving).catch(() => null);
          if (!unit?.current || unit.level !== 'commune') {
            throw new AppError(
              'VALIDATION_FAILED',
              {},
              { 'body.receivingUnitCode': `Không có xã, phường hiện hành mã ${receiving}` },
            );
          }
          // The commune's province decides the variant in force (its fees, steps and duration).
          const procedure = await procedureFor(citizen, input.procedureCode, unit.provinceCode);
          const def = procedure.definition;
          const cal = await calendar.getCalendar(receiving);
          const fees = feesOf(def, 0);
          const applicant = {
            citizenId: citizen.citizenId,
            fullName: citizen.fullName,
            dateOfBirth: citizen.dateOfBirth,
            ...(input.contact.phone ? { phone: input.contact.phone } : {}),
            ...(input.contact.email ? { email: input.contact.email } : {}),
            ...(input.contact.notify === false ? { notify: false } : {}),
            address,
            identity: { provider: 'VNeID', level: citizen.level },
          };
          return { procedure, def, components, unit, cal, fees, applicant };
        },
        async (trx, { procedure, def, components, unit, cal, fees, applicant }) => {
          const { id, row, state } = await writer.create(trx, {
            actor: citizenWriter(actor),
            build: async (now) => {
              const made = newDossier({
                code: codeOfTheDay(unit.code, now),
                channel: 'online',
                procedure,
                units: {
                  support: unit.code,
                  receiving: unit.code,
                  competent: unit.code,
                  provinceCode: unit.provinceCode,
                },
                applicant,
                components,
                fees,
                note: input.note ?? null,
                ruleVersion: deps.ruleVersion,
                createdBy: null,
                createdByCitizen: citizen.id,
              });
              return {
                ...made,
                ctx: { now, calendar: cal, procedure: def, actor: { id: citizen.id, role: 'citizen' } },
                audit: { ...made.audit, handedIn },
              };
            },
          });
          const code = row.code;
          await attach(trx, { id, code, unitCode: unit.code });
          return {
            status: 201,
            body: {
              id,
              code,
              status: state.state,
              statusCode: state.statusCode,
              dueAt: state.dueAt,
              version: state.version,
            },
          };
        },
      );
    },
  };
}
