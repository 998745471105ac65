import type { TestContext } from './test-app.ts';

type Headers = Record<string, string>;

/**
 * A citizen as VNeID would have recorded them at a sign-in (the phone a consent code goes to), for
 * tests that do not walk through the VNeID pages.
 */
export async function recordVerifiedCitizen(ctx: TestContext, citizenId: string, phone = '0912000999') {
  await ctx.database.db
    .insertInto('citizen_account')
    .values({
      issuer: 'http://vneid.test',
      subject: `test-${citizenId}`,
      citizen_id: citizenId,
      full_name: 'Công Dân Thử',
      date_of_birth: null,
      level: 2,
      phone,
      email: null,
      address: null,
    })
    .onConflict((oc) => oc.columns(['issuer', 'subject']).doUpdateSet({ phone }))
    .execute();
}

/**
 * The applicant's consent for one dossier through the front door, as at the counter in the demo: the
 * officer asks, the development sender shows the code (demo mode), the officer confirms it.
 */
export async function giveStoreConsent(ctx: TestContext, headers: Headers, dossierId: number) {
  const asked = await ctx.app.inject({
    method: 'POST',
    url: `/api/dossiers/${dossierId}/store-consent`,
    headers,
    payload: { channel: 'sms' },
  });
  if (asked.statusCode !== 201) throw new Error(`consent request: ${asked.statusCode} ${asked.body}`);
  const code = asked.json().demoCode as string | null;
  if (!code) throw new Error('the development sender showed no code (not in demo mode?)');
  const confirmed = await ctx.app.inject({
    method: 'POST',
    url: `/api/dossiers/${dossierId}/store-consent/confirm`,
    headers,
    payload: { code },
  });
  if (confirmed.statusCode !== 200)
    throw new Error(`consent confirm: ${confirmed.statusCode} ${confirmed.body}`);
  return confirmed.json().grant as { id: number; expiresAt: string };
}
