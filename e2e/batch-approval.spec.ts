import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { staffApi } from './support/api.ts';
import {
  type Browser,
  expectAccessible,
  openBrowser,
  screenshot,
  signIn,
  watchErrors,
} from './support/browser.ts';

const J = 'e-batch-approval';

describe('a leader approves several dossiers at once from the work list', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => browser?.close());

  it('approves the ticked dossiers and says how many', async () => {
    // Two certifications of a signature (specialist → leader) brought to the leader's step.
    const reception = await staffApi(baseUrl, 'reception.30112');
    const specialist = await staffApi(baseUrl, 'specialist.30112');
    const { items } = await reception.get<{ items: { id: number }[] }>('/api/staff?role=specialist');
    const codes: string[] = [];
    for (const name of ['Phan Văn Tâm', 'Võ Thị Hoa']) {
      const made = await reception.post<{ id: number; code: string }>('/api/dossiers', {
        procedureCode: '2.000884',
        channel: 'counter',
        applicant: {
          citizenId: '087085000111',
          fullName: name,
          dateOfBirth: '1985-01-01',
          address: 'Ấp Mỹ Phú',
          addressCommuneCode: '30112',
        },
        components: ['giay_to_tuy_than', 'van_ban_can_chung_thuc'],
      });
      await reception.post(`/api/dossiers/${made.id}/actions/assign`, { assigneeId: items[0]?.id });
      await specialist.post(`/api/dossiers/${made.id}/actions/forward`, {});
      codes.push(made.code);
    }

    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signIn(page, baseUrl, 'leader.30112');
    await page.goto(`${baseUrl}/staff/dossiers?view=mine`);
    for (const code of codes) await page.getByRole('checkbox', { name: `Chọn hồ sơ ${code}` }).check();
    await expectAccessible(page, 'work list with selection');
    await screenshot(page, J, '1-selected');
    await page.getByRole('button', { name: /Phê duyệt/ }).click();
    await page.getByText(/Đã phê duyệt 2 hồ sơ; 0 hồ sơ không phê duyệt được/).waitFor();
    await screenshot(page, J, '2-approved');
    const leader = await staffApi(baseUrl, 'leader.30112');
    const listed = await leader.get<{ items: { code: string; status: string }[] }>(
      '/api/dossiers?view=all&status=approved&pageSize=100',
    );
    for (const code of codes) expect(listed.items.map((i) => i.code)).toContain(code);
    expect(errors).toEqual([]);
  });
});
