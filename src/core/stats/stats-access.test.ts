import { describe, expect, it } from 'vitest';
import { canScheduleReports, canSeeStats, type StatsUnitRef } from './stats-access.ts';

const commune: StatsUnitRef = { code: '30502', level: 'commune', provinceCode: '91' };
const province: StatsUnitRef = { code: '91', level: 'province', provinceCode: '91' };
const nation: StatsUnitRef = { code: 'VN', level: 'nation', provinceCode: null };

describe('who may see figures and keep report schedules (the server and the web app share these)', () => {
  it('figures: a commune its own, a province its communes, the ministry everything, volunteers nothing', () => {
    expect(canSeeStats({ role: 'specialist', unitCode: '30502' }, commune)).toBe(true);
    expect(canSeeStats({ role: 'specialist', unitCode: '30503' }, commune)).toBe(false);
    expect(canSeeStats({ role: 'commune_leader', unitCode: '30502' }, province)).toBe(false);
    expect(canSeeStats({ role: 'support_volunteer', unitCode: '30502' }, commune)).toBe(false);
    expect(canSeeStats({ role: 'province_inspector', unitCode: '91' }, commune)).toBe(true);
    expect(canSeeStats({ role: 'province_inspector', unitCode: '82' }, commune)).toBe(false);
    expect(canSeeStats({ role: 'province_inspector', unitCode: '91' }, nation)).toBe(false);
    expect(canSeeStats({ role: 'ministry_viewer', unitCode: 'VN' }, nation)).toBe(true);
  });

  it('schedules: leaders and administrators only', () => {
    expect(canScheduleReports({ role: 'commune_leader', unitCode: '30502' }, commune)).toBe(true);
    expect(canScheduleReports({ role: 'commune_leader', unitCode: '30503' }, commune)).toBe(false);
    expect(canScheduleReports({ role: 'specialist', unitCode: '30502' }, commune)).toBe(false);
    expect(canScheduleReports({ role: 'province_admin', unitCode: '91' }, commune)).toBe(true);
    expect(canScheduleReports({ role: 'province_admin', unitCode: '91' }, nation)).toBe(false);
    expect(canScheduleReports({ role: 'province_inspector', unitCode: '91' }, commune)).toBe(false);
    expect(canScheduleReports({ role: 'system_admin', unitCode: 'VN' }, nation)).toBe(true);
  });
});
