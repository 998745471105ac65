import { z } from 'zod';
import { LocalDate } from '../calendar/schemas.ts';

/** A citizen signed in with VNeID: who they are, as the identity provider vouches, and at what level. */
export const CitizenPrincipal = z.object({
  id: z.number(),
  citizenId: z.string(),
  fullName: z.string(),
  dateOfBirth: z.string().nullable(),
  /** VNeID level: 1 (self-registered) or 2 (verified in person, chip ID card). */
  level: z.literal([1, 2]),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
});
export type CitizenPrincipal = z.infer<typeof CitizenPrincipal>;

/** GET /api/citizen/me: the citizen signed in with VNeID, and the token their writes carry. */
export const CitizenMe = z.object({ csrfToken: z.string(), citizen: CitizenPrincipal });
export type CitizenMe = z.infer<typeof CitizenMe>;

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
