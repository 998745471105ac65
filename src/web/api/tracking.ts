import {
  PublicDossier,
  type PublicDossierDetails,
  type PublicDossierStatus,
} from '../../core/dossiers/tracking.schemas.ts';
import { api } from './client.ts';

export type { PublicDossier, PublicDossierDetails, PublicDossierStatus };

/** A code alone answers the status; the last 4 digits of the applicant's ID add the details. */
export function trackDossier(code: string, last4?: string) {
  const fact = last4 ? `?last4=${encodeURIComponent(last4)}` : '';
  return api(`/api/public/dossiers/${encodeURIComponent(code)}${fact}`, PublicDossier);
}
