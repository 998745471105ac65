import { z } from 'zod';
import { Duration } from '../calendar/schemas.ts';
import { Paged } from '../paging.ts';
import { OnlineLevel, ProcedureDefinition, ProcedureField } from './procedure.schemas.ts';

/** A published procedure as the catalogue lists it. */
export const ProcedureSummary = z.object({
  code: z.string(),
  name: z.string(),
  field: ProcedureField,
  fieldName: z.string(),
  competentAgency: z.string(),
  duration: Duration,
  onlineLevel: OnlineLevel,
  vneidLevel: z.number().nullable(),
  hasFees: z.boolean(),
  interAgency: z.boolean(),
  version: z.number(),
  scope: z.string().describe("'VN' for the national version, else the province whose variant this is"),
});
export type ProcedureSummary = z.infer<typeof ProcedureSummary>;

/** GET /api/procedures: a page of the published catalogue, by name. */
export const ProcedureList = Paged(ProcedureSummary);
export type ProcedureList = z.infer<typeof ProcedureList>;

/** GET /api/procedures/:code: the version in force for a province's communes. */
export const PublishedProcedure = z.object({
  version: z.number(),
  scope: z.string(),
  publishedAt: z.string().nullable(),
  procedure: ProcedureDefinition,
});
export type PublishedProcedure = z.infer<typeof PublishedProcedure>;

export const VersionStatus = z.enum(['draft', 'published', 'retired']);
export type VersionStatus = z.infer<typeof VersionStatus>;

export const ProcedureVersion = z.object({
  version: z.number(),
  scope: z.string(),
  status: VersionStatus,
  publishedAt: z.string().nullable(),
  definition: ProcedureDefinition,
});
export type ProcedureVersion = z.infer<typeof ProcedureVersion>;

/** GET /api/procedures/:code/versions. */
export const ProcedureVersionList = z.object({ items: z.array(ProcedureVersion) });
export type ProcedureVersionList = z.infer<typeof ProcedureVersionList>;

/** What a create, publish or retire did: the version and the status it now has. */
export const VersionChange = <S extends VersionStatus>(status: S) =>
  z.object({ code: z.string(), version: z.number(), scope: z.string(), status: z.literal(status) });
export type VersionChange<S extends VersionStatus> = {
  code: string;
  version: number;
  scope: string;
  status: S;
};
