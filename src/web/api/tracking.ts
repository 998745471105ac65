import { api } from './client.ts';

export type PublicDossier = {
  code: string;
  procedure: { code: string; name: string };
  applicantName: string;
  citizenId: string;
  receivingUnitCode: string;
  statusCode: number;
  statusName: string;
  submittedAt: string;
  receivedAt: string | null;
  dueAt: string | null;
  overdue: boolean;
  resultReadyAt: string | null;
  returnedAt: string | null;
  timeline: { at: string; action: string; kind: string; verdict: 'early' | 'on_time' | 'late' | null }[];
};

export function trackDossier(code: string) {
  return api<PublicDossier>(`/api/public/dossiers/${encodeURIComponent(code)}`);
}
