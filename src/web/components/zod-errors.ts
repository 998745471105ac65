import { z } from 'zod';

// The server's messages, word for word: the same schemas run here as the user types.
z.config(z.locales.vi());

/** Field path → first message, as the server's 400 `fields` names them ("applicant.citizenId"). */
export function fieldErrors(schema: z.ZodType, value: unknown): Record<string, string> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.');
    if (!(key in errors)) errors[key] = issue.message;
  }
  return errors;
}

/** The errors to show now: those of fields the user has left, or all of them after a submit attempt. */
export function visibleErrors(
  errors: Record<string, string>,
  touched: ReadonlySet<string>,
  submitted: boolean,
) {
  if (submitted) return errors;
  return Object.fromEntries(
    Object.entries(errors).filter(
      ([key]) => touched.has(key.split('.').slice(0, 2).join('.')) || touched.has(key),
    ),
  );
}
