import { Anchor, List, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Period } from '../../../core/stats/report-periods.ts';
import { REPORT_TABLES, reportCsvUrl } from '../../api/reports.ts';
import { unitLevel } from './report-periods.ts';
import { usePeriodLabel } from './use-period-label.ts';

/** Each table of the report for the chosen period as a CSV download; the units' table above a commune. */
export function CsvLinks({ unit, period }: { unit: string; period: Period | null }) {
  const { t } = useTranslation();
  const label = usePeriodLabel();
  const tables = REPORT_TABLES.filter((table) => table !== 'units' || unitLevel(unit) !== 'commune');
  return (
    <section aria-labelledby="csv-heading">
      <Title order={2} size="h3" id="csv-heading" mb="xs">
        {t('reports.csv.heading')}
      </Title>
      {period ? (
        <>
          <Text size="sm" mb="xs">
            {t('reports.csv.lead', { period: label(period) })}
          </Text>
          <List spacing={4}>
            {tables.map((table) => (
              <List.Item key={table}>
                <Anchor href={reportCsvUrl({ unit, ...period, table })} download>
                  {t('reports.csv.link', { table: t(`reports.csv.tables.${table}`) })}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </>
      ) : (
        <Text size="sm">{t('reports.csv.needPeriod')}</Text>
      )}
    </section>
  );
}
