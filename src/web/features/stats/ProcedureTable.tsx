import { Alert, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ProcedureFigures } from '../../api/stats.ts';
import { formatNumber, formatShare } from './stats-format.ts';

/** The figures per procedure in the unit and period, most received first. */
export function ProcedureTable({ items }: { items: ProcedureFigures[] }) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <section aria-labelledby="procedures-heading">
      <Title order={2} size="h3" id="procedures-heading" mb="sm">
        {t('stats.procedures.heading')}
      </Title>
      {items.length === 0 ? (
        <Alert color="gray">{t('stats.procedures.empty')}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={680} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('stats.procedures.name')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('stats.procedures.received')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('stats.procedures.online')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('stats.procedures.resolved')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('stats.procedures.late')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('stats.procedures.onTime')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.code}>
                  <Table.Th scope="row" fw={400} maw={420}>
                    <Text size="sm">{p.name}</Text>
                    <Text size="xs" c="dimmed">
                      {p.code}
                    </Text>
                  </Table.Th>
                  <Table.Td ta="right">{n(p.received)}</Table.Td>
                  <Table.Td ta="right">{n(p.online)}</Table.Td>
                  <Table.Td ta="right">{n(p.resolved)}</Table.Td>
                  <Table.Td ta="right">{n(p.late)}</Table.Td>
                  <Table.Td ta="right">{formatShare(p.onTimeShare, i18n.language, t)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}
