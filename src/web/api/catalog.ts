import { ProcedureList, PublishedProcedure } from '../../core/catalog/catalog.schemas.ts';
import { api, toQuery } from './client.ts';

export type { ProcedureSummary, PublishedProcedure } from '../../core/catalog/catalog.schemas.ts';

export type ProcedureSearch = {
  q?: string;
  field?: string;
  onlineLevel?: string;
  page?: number;
  pageSize?: number;
};

export function searchProcedures(query: ProcedureSearch, signal?: AbortSignal) {
  return api(`/api/procedures${toQuery(query)}`, ProcedureList, signal ? { signal } : {});
}

export function getProcedure(code: string) {
  return api(`/api/procedures/${encodeURIComponent(code)}`, PublishedProcedure);
}
