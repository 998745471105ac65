import type { Duration } from '../../core/calendar/schemas.ts';
import type {
  OnlineLevel,
  ProcedureDefinition,
  ProcedureField,
} from '../../core/catalog/procedure.schemas.ts';
import { api, toQuery } from './client.ts';

export type ProcedureSummary = {
  code: string;
  name: string;
  field: ProcedureField;
  fieldName: string;
  competentAgency: string;
  duration: Duration;
  onlineLevel: OnlineLevel;
  vneidLevel: number | null;
  hasFees: boolean;
  interAgency: boolean;
  version: number;
};

export type Paged<T> = { items: T[]; total: number; page: number; pageSize: number };

export type ProcedureSearch = {
  q?: string;
  field?: string;
  onlineLevel?: string;
  page?: number;
  pageSize?: number;
};

export function searchProcedures(query: ProcedureSearch, signal?: AbortSignal) {
  return api<Paged<ProcedureSummary>>(`/api/procedures${toQuery(query)}`, signal ? { signal } : {});
}

export function getProcedure(code: string) {
  return api<{ version: number; publishedAt: string | null; procedure: ProcedureDefinition }>(
    `/api/procedures/${encodeURIComponent(code)}`,
  );
}
