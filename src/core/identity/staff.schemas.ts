import { z } from 'zod';
import { Paged } from '../paging.ts';
import { type StaffPrincipal, StaffRole } from './roles.ts';

/** The signed-in officer as the server knows them (their role and unit decide what they may do). */
export const Principal = z.object({
  id: z.number(),
  username: z.string(),
  fullName: z.string(),
  role: StaffRole,
  unitCode: z.string().describe("commune code, province code, or 'VN'"),
  provinceCode: z.string().nullable().describe('null for national accounts'),
}) satisfies z.ZodType<StaffPrincipal>;
export type Principal = z.infer<typeof Principal>;

/** POST /api/auth/login and GET /api/auth/me: who is signed in, and the CSRF token of the session. */
export const Me = z.object({ csrfToken: z.string(), user: Principal });
export type Me = z.infer<typeof Me>;

/** An officer one may assign or forward a dossier to. */
export const Colleague = z.object({
  id: z.number(),
  fullName: z.string(),
  role: StaffRole,
  roleName: z.string(),
});
export type Colleague = z.infer<typeof Colleague>;

/** GET /api/staff: the officers of a commune who handle dossiers, by name. */
export const StaffList = Paged(Colleague);
export type StaffList = z.infer<typeof StaffList>;
