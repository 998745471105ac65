import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { listDemoAccounts } from './demo-data.ts';

/**
 * The demo accounts still active (their password is published in the README). A production start
 * (MOTCUA_DEMO=false) refuses to run while any remain: turning the flag off alone would leave them open.
 */
export async function listActiveDemoAccounts(db: Kysely<DB>): Promise<string[]> {
  const names = listDemoAccounts().map((a) => a.username);
  const rows = await db
    .selectFrom('staff_account')
    .select('username')
    .where('username', 'in', names)
    .where('active', '=', true)
    .orderBy('username')
    .execute();
  return rows.map((r) => r.username);
}

/** The one-line refusal main prints (Vietnamese, then English), or null when the start may go on. */
export async function checkProductionStart(db: Kysely<DB>, demo: boolean): Promise<string | null> {
  if (demo) return null;
  const left = await listActiveDemoAccounts(db);
  if (left.length === 0) return null;
  const shown = left.slice(0, 5).join(', ') + (left.length > 5 ? `, … (${left.length})` : '');
  return `MOTCUA_DEMO=false nhưng cơ sở dữ liệu còn ${left.length} tài khoản trình diễn có mật khẩu công khai (${shown}): hãy khóa hoặc xóa chúng, hoặc dùng một thư mục dữ liệu mới. (MOTCUA_DEMO=false but the database still has ${left.length} demo accounts with a published password: deactivate or delete them, or start on a fresh data folder.)`;
}
