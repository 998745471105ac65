import { api } from './client.ts';

export type PublicDossier = {
  code: string;
  procedure: { code: string; name: string };
  statusCode: number;
  statusName: string;
} & (
  | { detailed: false }
  | {
      detailed: true;
      applicantName: string;
      citizenId: string;
      receivingUnitCode: string;
      submittedAt: string;
      receivedAt: string | null;
      dueAt: string | null;
      overdue: boolean;
      resultReadyAt: string | null;
      returnedAt: string | null;
      timeline: { at: string; action: string; kind: string; verdict: 'early' | 'on_time' | 'late' | null }[];
    }
);

export type DetailedDossier = Extract<PublicDossier, { detailed: true }>;

/** A code alone answers the status; the last 4 digits of the applicant's ID add the details. */
export function trackDossier(code: string, last4?: string) {
  const fact = last4 ? `?last4=${encodeURIComponent(last4)}` : '';
  return api<PublicDossier>(`/api/public/dossiers/${encodeURIComponent(code)}${fact}`);
}
