import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type JobState, listJobs, retryJob } from '../../api/jobs.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ListPagination } from '../../components/ListPagination.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';

const PAGE_SIZE = 20;
const STATES: readonly JobState[] = ['dead', 'pending', 'done'];
const STATE_COLORS: Record<JobState, string> = { dead: 'red', pending: 'blue', done: 'green' };

/**
 * The system administrator's window on the job runner: the dead-letter list first (each job with its
 * last error and a retry), then what waits and what was delivered; filters, counts and paging in the
 * address, so a page can be reloaded or sent.
 */
export default function JobsPage() {
  const { t, i18n } = useTranslation();
  const filters = useUrlFilters();
  const state = (STATES as readonly string[]).includes(filters.get('state'))
    ? (filters.get('state') as JobState)
    : 'dead';
  const kind = filters.get('kind');
  const { page, set } = filters;
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['jobs', state, kind, page],
    queryFn: ({ signal }) =>
      listJobs({ state, ...(kind ? { kind } : {}), page, pageSize: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });
  const retry = useMutation({
    mutationFn: retryJob,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['jobs'] }),
  });
  const data = list.data;
  return (
    <Stack gap="md">
      <title>{`${t('jobs.title')} — MotCua`}</title>
      <Title order={1} size="h2">
        {t('jobs.title')}
      </Title>
      <Text c="dimmed">{t('jobs.lead')}</Text>
      <Group align="end" wrap="wrap">
        <SegmentedControl
          aria-label={t('jobs.stateFilter')}
          value={state}
          onChange={(value) => set({ state: value })}
          data={STATES.map((s) => ({
            value: s,
            label: `${t(`jobs.states.${s}`)} (${data?.counts[s] ?? '…'})`,
          }))}
        />
        <Select
          label={t('jobs.kind')}
          placeholder={t('jobs.allKinds')}
          clearable
          data={data?.kinds ?? []}
          value={kind || null}
          onChange={(value) => set({ kind: value ?? '' })}
          w={240}
        />
      </Group>
      {list.error ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {retry.error ? <ErrorNotice error={retry.error} /> : null}
      {!data && list.isPending ? <PageLoader /> : null}
      {data ? (
        <Text size="sm" aria-live="polite" data-testid="jobs-total">
          {t('jobs.total', { count: data.total })}
        </Text>
      ) : null}
      {data && data.items.length === 0 ? (
        <Alert color={state === 'dead' ? 'green' : 'gray'}>{t(`jobs.empty.${state}`)}</Alert>
      ) : null}
      {data && data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={820} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
          <Table striped verticalSpacing="xs" aria-label={t('jobs.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('jobs.id')}</Table.Th>
                <Table.Th scope="col">{t('jobs.kind')}</Table.Th>
                <Table.Th scope="col">{t('jobs.state')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('jobs.attempts')}
                </Table.Th>
                <Table.Th scope="col">
                  {state === 'pending' ? t('jobs.runAt') : t('jobs.finishedAt')}
                </Table.Th>
                <Table.Th scope="col">{t('jobs.lastError')}</Table.Th>
                {state === 'dead' ? <Table.Th scope="col">{t('jobs.action')}</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((job) => (
                <Table.Tr key={job.id}>
                  <Table.Th scope="row">{job.id}</Table.Th>
                  <Table.Td>
                    <Code>{job.kind}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATE_COLORS[job.state]} tt="none">
                      {t(`jobs.states.${job.state}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">
                    {job.attempts}/{job.maxAttempts}
                  </Table.Td>
                  <Table.Td>
                    {formatDateTime(job.state === 'pending' ? job.runAt : job.finishedAt, i18n.language)}
                  </Table.Td>
                  <Table.Td maw={360}>
                    <Text size="sm" lineClamp={3} title={job.lastError ?? ''}>
                      {job.lastError ?? '—'}
                    </Text>
                  </Table.Td>
                  {state === 'dead' ? (
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="light"
                        loading={retry.isPending && retry.variables === job.id}
                        onClick={() => retry.mutate(job.id)}
                        aria-label={t('jobs.retryOf', { id: job.id })}
                      >
                        {t('jobs.retry')}
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <ListPagination
        total={data?.total ?? 0}
        pageSize={data?.pageSize ?? PAGE_SIZE}
        page={page}
        onChange={(p) => set({ page: String(p) })}
      />
    </Stack>
  );
}
