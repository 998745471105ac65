import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test-support/test-database.ts';
import { checkProductionStart } from './demo-guard.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

describe('a production start (MOTCUA_DEMO=false)', () => {
  it('is refused while demo accounts are active, and allowed once they are off', async () => {
    expect(await checkProductionStart(database.db, true)).toBeNull();
    const refusal = await checkProductionStart(database.db, false);
    expect(refusal).toMatch(/^MOTCUA_DEMO=false nhưng cơ sở dữ liệu còn \d+ tài khoản trình diễn/);
    expect(refusal).toContain('deactivate or delete them');
    await database.db.updateTable('staff_account').set({ active: false }).execute();
    expect(await checkProductionStart(database.db, false)).toBeNull();
  });
});
