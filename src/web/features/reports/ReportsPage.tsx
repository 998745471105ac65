import { Anchor, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { canScheduleReports } from '../../../core/stats/stats-access.ts';
import type { Me } from '../../api/staff.ts';
import { getUnitSummary } from '../../api/stats.ts';
import { useUrlFilters } from '../../components/use-url-filters.ts';
import { dashboardLink } from '../stats/stats-links.ts';
import { CsvLinks } from './CsvLinks.tsx';
import { ReportFiles } from './ReportFiles.tsx';
import { type PeriodChoice, periodOf, ReportForm } from './ReportForm.tsx';
import { ReportSchedules } from './ReportSchedules.tsx';
import { reportPresetOf, unitLevel } from './report-periods.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UNIT_CODE = /^(VN|\d{2}|\d{5})$/;

/** The period the URL carries (from the dashboard's link), else last month. */
function initialChoice(params: URLSearchParams): PeriodChoice {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (!ISO_DATE.test(from) || !ISO_DATE.test(to) || from > to)
    return { preset: 'lastMonth', from: '', to: '' };
  return { preset: reportPresetOf({ from, to }), from, to };
}

/**
 * A unit's periodic reports at /staff/reports: make one for a period (XLSX or PDF), export its tables as
 * CSV, the files kept (made on request or by a schedule) and the schedules. The unit is the officer's own
 * unless the URL names another they may see (a province's roles: their communes; the ministry: all).
 */
export default function ReportsPage() {
  const { t } = useTranslation();
  const me = useQueryClient().getQueryData<Me>(['me']);
  const filters = useUrlFilters();
  const unit = filters.get('unit') || me?.user.unitCode || 'VN';
  const level = unitLevel(unit);
  const summary = useQuery({
    queryKey: ['unit', unit],
    queryFn: () => getUnitSummary(unit),
    enabled: unit !== 'VN' && UNIT_CODE.test(unit),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [choice, setChoice] = useState(() => initialChoice(filters.params));
  const period = periodOf(choice);
  const choose = (next: PeriodChoice) => {
    setChoice(next);
    // The URL keeps a whole period (a reload, the way back to the dashboard); the list keeps its page.
    const p = periodOf(next);
    if (p) filters.set({ ...p, page: filters.get('page') });
  };
  const canSchedule =
    me !== undefined &&
    canScheduleReports(me.user, {
      code: unit,
      level,
      provinceCode: level === 'commune' ? (summary.data?.provinceCode ?? null) : null,
    });
  const unitName = unit === 'VN' ? t('stats.nation') : (summary.data?.name ?? unit);
  // The dashboard of the same unit and period (its own default when no whole period is chosen).
  const statsParams = new URLSearchParams(period ? { from: period.from, to: period.to } : {});

  return (
    <Stack gap="xl">
      <div>
        <Anchor component={Link} to={dashboardLink(statsParams, unit)} size="sm">
          {t('reports.toStats')}
        </Anchor>
        <Title order={1} size="h2">
          {t('reports.title', { unit: unitName })}
        </Title>
        <Text size="sm">{t('reports.lead')}</Text>
      </div>
      <UnitPicker key={unit} unit={unit} onPick={(code) => filters.set({ unit: code })} />
      <ReportForm key={unit} unit={unit} choice={choice} onChoice={choose} />
      <CsvLinks unit={unit} period={period} />
      <ReportFiles
        unit={unit}
        page={filters.page}
        onPage={(p) => filters.set({ page: p > 1 ? String(p) : '' })}
      />
      <ReportSchedules key={unit} unit={unit} canSchedule={canSchedule} />
    </Stack>
  );
}

/** Another unit by its code, as the board's picker takes a commune's: checked before it goes to the URL. */
function UnitPicker({ unit, onPick }: { unit: string; onPick: (code: string) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState(unit);
  const [error, setError] = useState<string | undefined>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = code.trim().toUpperCase();
    if (!UNIT_CODE.test(value)) {
      setError(t('reports.unitCodeInvalid'));
      return;
    }
    setError(undefined);
    onPick(value);
  };
  return (
    <form onSubmit={submit} aria-label={t('reports.unitPicker')} noValidate>
      <Group align="flex-start" gap="xs">
        <TextInput
          label={t('reports.unitCode')}
          maxLength={5}
          autoComplete="off"
          value={code}
          error={error}
          onChange={(e) => setCode(e.currentTarget.value)}
        />
        <Button type="submit" variant="default" mt={25}>
          {t('reports.showUnit')}
        </Button>
      </Group>
    </form>
  );
}
