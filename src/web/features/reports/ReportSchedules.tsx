import { Alert, Button, Group, Modal, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addSchedule,
  FREQUENCIES,
  type Frequency,
  listSchedules,
  type ReportSchedule,
  removeSchedule,
} from '../../api/reports.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../components/format.ts';

/**
 * The unit's report schedules. Its leaders and administrators (and the province's) add a monthly,
 * quarterly or yearly one and remove one after a confirmation; the others read the list.
 */
export function ReportSchedules({ unit, canSchedule }: { unit: string; canSchedule: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const queryKey = ['reports', unit, 'schedules'];
  const list = useQuery({ queryKey, queryFn: ({ signal }) => listSchedules(unit, signal) });
  const items = list.data?.items ?? [];
  const free = FREQUENCIES.filter((f) => !items.some((s) => s.frequency === f));
  const [frequency, setFrequency] = useState<Frequency | ''>('');
  const chosen = frequency && free.includes(frequency) ? frequency : (free[0] ?? '');
  const add = useMutation({
    mutationFn: (f: Frequency) => addSchedule({ unit, frequency: f }),
    onSuccess: () => client.invalidateQueries({ queryKey }),
  });
  const [removing, setRemoving] = useState<ReportSchedule | null>(null);
  const remove = useMutation({
    mutationFn: (id: number) => removeSchedule(id),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey });
      setRemoving(null);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen) add.mutate(chosen);
  };
  const name = (f: Frequency) => t(`reports.schedules.frequencies.${f}`);

  return (
    <section aria-labelledby="schedules-heading">
      <Title order={2} size="h3" id="schedules-heading" mb="xs">
        {t('reports.schedules.heading')}
      </Title>
      <Text size="sm" mb="sm">
        {t('reports.schedules.lead')}
      </Text>
      {list.error ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isPending ? <PageLoader /> : null}
      {list.data && items.length === 0 ? <Alert color="gray">{t('reports.schedules.empty')}</Alert> : null}
      {items.length > 0 ? (
        <Table striped verticalSpacing="xs" maw={640} aria-labelledby="schedules-heading">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('reports.schedules.frequency')}</Table.Th>
              <Table.Th scope="col">{t('reports.schedules.createdAt')}</Table.Th>
              {canSchedule ? <Table.Th scope="col">{t('reports.schedules.actions')}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Th scope="row" fw={600}>
                  {name(s.frequency)}
                </Table.Th>
                <Table.Td>{formatDateTime(s.createdAt, i18n.language)}</Table.Td>
                {canSchedule ? (
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="outline"
                      color="red"
                      aria-label={t('reports.schedules.removeOf', { frequency: name(s.frequency) })}
                      onClick={() => {
                        remove.reset();
                        setRemoving(s);
                      }}
                    >
                      {t('reports.schedules.remove')}
                    </Button>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {canSchedule && list.data ? (
        free.length > 0 ? (
          <form onSubmit={submit} aria-label={t('reports.schedules.addForm')}>
            <Group align="flex-end" mt="sm">
              <NativeSelect
                label={t('reports.schedules.frequency')}
                value={chosen}
                onChange={(e) => {
                  add.reset();
                  setFrequency(e.currentTarget.value as Frequency);
                }}
                data={free.map((f) => ({ value: f, label: name(f) }))}
              />
              <Button type="submit" loading={add.isPending}>
                {t('reports.schedules.add')}
              </Button>
            </Group>
          </form>
        ) : (
          <Text size="sm" mt="sm">
            {t('reports.schedules.allSet')}
          </Text>
        )
      ) : null}
      {!canSchedule ? (
        <Text size="sm" mt="sm">
          {t('reports.schedules.notAllowed')}
        </Text>
      ) : null}
      {add.error ? (
        <Stack mt="sm">
          <ErrorNotice error={add.error} onRetry={() => (chosen ? add.mutate(chosen) : undefined)} />
        </Stack>
      ) : null}
      <Modal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title={t('reports.schedules.confirmTitle')}
        closeButtonProps={{ 'aria-label': t('reports.schedules.close') }}
      >
        {removing ? (
          <Stack>
            <Text>{t('reports.schedules.confirm', { frequency: name(removing.frequency) })}</Text>
            {remove.error ? (
              <ErrorNotice error={remove.error} onRetry={() => remove.mutate(removing.id)} />
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRemoving(null)} data-autofocus>
                {t('reports.schedules.cancel')}
              </Button>
              <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(removing.id)}>
                {t('reports.schedules.remove')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </section>
  );
}
