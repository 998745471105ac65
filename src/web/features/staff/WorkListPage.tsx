import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  ScrollArea,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { StaffRole } from '../../../core/identity/roles.ts';
import { newIdempotencyKey } from '../../api/client.ts';
import { actOnDossier, type DossierListItem, listDossiers, type Me } from '../../api/staff.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { DeadlineBadge } from '../../components/DeadlineBadge.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { ListPagination } from '../../components/ListPagination.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';

const VIEWS = [
  'mine',
  'to_receive',
  'unit',
  'due_today',
  'due_soon',
  'overdue',
  'waiting_applicant',
  'all',
] as const;
const PAGE_SIZE = 20;
const APPROVERS: ReadonlySet<StaffRole> = new Set(['commune_leader', 'centre_director', 'department_head']);

/** Work lists ordered by deadline, with search, filters and paging kept in the URL. */
export default function WorkListPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const me = client.getQueryData<Me>(['me']);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  // The server searches from two characters; a changed list forgets what was ticked.
  const {
    get,
    page,
    q: search,
    search: q,
    setSearch: setQ,
    set,
  } = useUrlFilters({
    minSearch: 2,
    onChange: () => setSelected(new Set()),
  });
  const view = (get('view') || 'mine') as (typeof VIEWS)[number];
  const status = get('status');
  const channel = get('channel');

  const query = useQuery({
    queryKey: ['dossiers', view, search, status, channel, page],
    queryFn: ({ signal }) =>
      listDossiers({ view, q: search, status, channel, page, pageSize: PAGE_SIZE, sort: 'dueAt' }, signal),
    placeholderData: keepPreviousData,
  });

  const canBatchApprove = me ? APPROVERS.has(me.user.role) : false;
  const batch = useMutation({
    mutationFn: async (items: DossierListItem[]) => {
      const outcomes = await Promise.allSettled(
        items.map((d) => actOnDossier(d.id, 'approve', { version: d.version }, newIdempotencyKey())),
      );
      return {
        ok: outcomes.filter((o) => o.status === 'fulfilled').length,
        failed: outcomes.filter((o) => o.status === 'rejected').length,
      };
    },
    onSettled: () => {
      setSelected(new Set());
      void client.invalidateQueries({ queryKey: ['dossiers'] });
    },
  });

  const data = query.data;
  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('staff.worklist')}
      </Title>
      <Tabs value={view} onChange={(v) => set({ view: v ?? 'mine' })} keepMounted={false}>
        <ScrollArea type="auto" scrollbars="x">
          <Tabs.List style={{ flexWrap: 'nowrap' }}>
            {VIEWS.map((v) => (
              <Tabs.Tab key={v} value={v}>
                {t(`lists.${v}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </ScrollArea>
      </Tabs>
      <Group align="flex-end" wrap="wrap" role="search">
        <TextInput
          style={{ flex: '1 1 16rem' }}
          label={t('lists.search')}
          type="search"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
        />
        <NativeSelect
          label={t('lists.status')}
          value={status}
          onChange={(e) => set({ status: e.currentTarget.value })}
          data={[
            { value: '', label: t('lists.allStatuses') },
            ...Array.from({ length: 10 }, (_, i) => ({
              value: String(i + 1),
              label: t(`status.s${(i + 1) as 1}`),
            })),
          ]}
        />
        <NativeSelect
          label={t('lists.channel')}
          value={channel}
          onChange={(e) => set({ channel: e.currentTarget.value })}
          data={[
            { value: '', label: t('lists.allChannels') },
            { value: 'counter', label: t('channel.counter') },
            { value: 'online', label: t('channel.online') },
            { value: 'postal', label: t('channel.postal') },
          ]}
        />
      </Group>
      {query.error ? <ErrorNotice error={query.error} onRetry={() => void query.refetch()} /> : null}
      {batch.data ? (
        <Alert color={batch.data.failed ? 'yellow' : 'green'} role="status">
          {t('lists.approvedMany', batch.data)}
        </Alert>
      ) : null}
      {!data && query.isPending ? <PageLoader /> : null}
      {data ? (
        <>
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              {t('lists.total', { count: data.total })}
            </Text>
            {canBatchApprove && selected.size > 0 ? (
              <Button
                color="green"
                loading={batch.isPending}
                onClick={() => batch.mutate(data.items.filter((d) => selected.has(d.id)))}
              >
                {t('lists.approveSelected', { count: selected.size })}
              </Button>
            ) : null}
          </Group>
          {data.items.length === 0 ? <Alert color="gray">{t('lists.empty')}</Alert> : null}
          {data.items.length > 0 ? (
            <Table.ScrollContainer minWidth={720}>
              <Table striped highlightOnHover verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    {canBatchApprove ? (
                      <Table.Th w={40}>
                        <Checkbox
                          aria-label={t('lists.selectAll')}
                          checked={selected.size === data.items.length}
                          indeterminate={selected.size > 0 && selected.size < data.items.length}
                          onChange={(e) =>
                            setSelected(
                              e.currentTarget.checked ? new Set(data.items.map((d) => d.id)) : new Set(),
                            )
                          }
                        />
                      </Table.Th>
                    ) : null}
                    <Table.Th>{t('lists.code')}</Table.Th>
                    <Table.Th>{t('lists.applicant')}</Table.Th>
                    <Table.Th>{t('lists.procedure')}</Table.Th>
                    <Table.Th>{t('lists.status')}</Table.Th>
                    <Table.Th>{t('lists.due')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((d) => (
                    <Table.Tr key={d.id}>
                      {canBatchApprove ? (
                        <Table.Td>
                          <Checkbox
                            aria-label={t('lists.select', { code: d.code })}
                            checked={selected.has(d.id)}
                            onChange={() => toggle(d.id)}
                          />
                        </Table.Td>
                      ) : null}
                      <Table.Td>
                        <Anchor component={Link} to={`/staff/dossiers/${d.id}`} fw={600}>
                          {d.code}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {t(`channel.${d.channel}`)}
                        </Text>
                      </Table.Td>
                      <Table.Td>{d.applicantName}</Table.Td>
                      <Table.Td maw={320}>
                        <Text size="sm" lineClamp={2}>
                          {d.procedureName}
                        </Text>
                      </Table.Td>
                      <Table.Td>{t(`status.s${d.statusCode as 1}`)}</Table.Td>
                      <Table.Td>
                        <DeadlineBadge dueAt={d.dueAt} overdue={d.overdue} statusCode={d.statusCode} />
                      </Table.Td>
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
        </>
      ) : null}
    </Stack>
  );
}
