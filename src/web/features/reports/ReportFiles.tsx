import { Alert, Anchor, Badge, Group, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { listReports } from '../../api/reports.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ListPagination } from '../../components/ListPagination.tsx';
import { formatSize } from './report-periods.ts';
import { usePeriodLabel } from './use-period-label.ts';

const PAGE_SIZE = 10;

/** The unit's kept report files, newest first, page by page, each with its download. */
export function ReportFiles({
  unit,
  page,
  onPage,
}: {
  unit: string;
  page: number;
  onPage: (page: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const label = usePeriodLabel();
  const list = useQuery({
    queryKey: ['reports', unit, 'files', page],
    queryFn: ({ signal }) => listReports({ unit, page, pageSize: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  return (
    <section aria-labelledby="files-heading">
      <Group justify="space-between" align="baseline" mb="sm">
        <Title order={2} size="h3" id="files-heading">
          {t('reports.files.heading')}
        </Title>
        {data ? (
          <Text size="sm" aria-live="polite">
            {t('reports.files.total', { count: data.total })}
          </Text>
        ) : null}
      </Group>
      {list.error ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {!data && list.isPending ? <PageLoader /> : null}
      {data && data.items.length === 0 ? <Alert color="gray">{t('reports.files.empty')}</Alert> : null}
      {data && data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={760} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
          <Table striped verticalSpacing="xs" aria-labelledby="files-heading">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('reports.files.period')}</Table.Th>
                <Table.Th scope="col">{t('reports.files.format')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('reports.files.size')}
                </Table.Th>
                <Table.Th scope="col">{t('reports.files.source')}</Table.Th>
                <Table.Th scope="col">{t('reports.files.createdAt')}</Table.Th>
                <Table.Th scope="col">{t('reports.files.download')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((f) => {
                const period = label(f);
                const format = t(`reports.formats.${f.format}`);
                return (
                  <Table.Tr key={f.id}>
                    <Table.Th scope="row" fw={600}>
                      {period}
                    </Table.Th>
                    <Table.Td>{format}</Table.Td>
                    <Table.Td ta="right">{formatSize(f.sizeBytes, i18n.language)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={f.scheduled ? 'grape' : 'blue'} tt="none">
                        {f.scheduled ? t('reports.files.scheduled') : t('reports.files.requested')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDateTime(f.createdAt, i18n.language)}</Table.Td>
                    <Table.Td>
                      <Anchor
                        size="sm"
                        href={f.url}
                        download={f.fileName}
                        aria-label={t('reports.files.downloadOf', { period, format })}
                      >
                        {t('reports.files.download')}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <ListPagination
        total={data?.total ?? 0}
        pageSize={data?.pageSize ?? PAGE_SIZE}
        page={page}
        onChange={onPage}
      />
    </section>
  );
}
