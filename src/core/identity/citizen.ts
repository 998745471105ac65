import { z } from 'zod';
import { LocalDate } from '../calendar/schemas.ts';

/** A citizen signed in with VNeID: who they are, as the identity provider vouches, and at what level. */
export type CitizenPrincipal = {
  id: number;
  citizenId: string;
  fullName: string;
  dateOfBirth: string | null;
  /** VNeID level: 1 (self-registered) or 2 (verified in person, chip ID card). */
  level: 1 | 2;
  phone: string | null;
  email: string | null;
  address: string | null;
};

export const SATISFACTION = ['very_satisfied', 'satisfied', 'not_satisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];

/** A rating of the service a dossier got (Decision 766: the citizens' satisfaction). */
export const RatingInput = z.object({
  rating: z.enum(SATISFACTION, {
    error: 'Vui lòng chọn mức hài lòng: rất hài lòng, hài lòng hoặc không hài lòng',
  }),
  comment: z.string().trim().max(1000, { error: 'Góp ý tối đa 1000 ký tự' }).optional(),
});
export type RatingInput = z.infer<typeof RatingInput>;

/** Birth date as a claim: YYYY-MM-DD, or nothing. */
export const ClaimDate = LocalDate.nullable().catch(null);
