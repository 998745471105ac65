import { Button, Card, Group, List, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProcedureComponent } from '../../../../core/catalog/procedure.schemas.ts';
import type { CitizenMe, DraftFile } from '../../../api/citizen.ts';
import { IdentityTable, type SetField } from './ApplicantStep.tsx';
import type { OnlineDraft } from './online-draft.ts';

/** Step 3: everything that will be sent, each part with a way back to change it, and a note. */
export function ReviewStep({
  me,
  draft,
  components,
  files,
  busy,
  set,
  show,
  onEdit,
}: {
  me: CitizenMe;
  draft: OnlineDraft;
  components: ProcedureComponent[];
  files: Record<string, DraftFile>;
  busy: boolean;
  set: SetField;
  show: (name: string) => string | undefined;
  onEdit: (step: number) => void;
}) {
  const { t } = useTranslation();
  const contact: [string, string][] = [
    [t('citizen.submit.phone'), draft.phone.trim() || '—'],
    [t('citizen.submit.email'), draft.email.trim() || '—'],
    [t('citizen.submit.address'), draft.address.trim() || '—'],
  ];
  const sent = components.filter((c) => files[c.key]);
  return (
    <Stack gap="md">
      <Part title={t('citizen.submit.steps.applicant')} onEdit={busy ? undefined : () => onEdit(1)}>
        <IdentityTable me={me} />
        <Table variant="vertical" layout="fixed" withTableBorder>
          <Table.Tbody>
            {contact.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w="42%">{label}</Table.Th>
                <Table.Td className="wrap-anywhere">{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Part>
      <Part title={t('citizen.submit.steps.papers')} onEdit={busy ? undefined : () => onEdit(2)}>
        {sent.length === 0 ? (
          <Text size="sm">{t('citizen.submit.noPapers')}</Text>
        ) : (
          <List spacing={6}>
            {sent.map((c) => {
              const pages = files[c.key]?.pages;
              return (
                <List.Item key={c.key} className="wrap-anywhere">
                  ✓ {c.name}
                  {pages ? ` (${t('citizen.upload.pages', { count: pages })})` : ''}
                </List.Item>
              );
            })}
          </List>
        )}
      </Part>
      <Textarea
        size="md"
        label={t('citizen.submit.note')}
        autosize
        minRows={2}
        maxLength={1000}
        disabled={busy}
        value={draft.note}
        error={show('note')}
        onChange={(e) => set('note', e.currentTarget.value)}
      />
      <Text>{t('citizen.submit.confirm')}</Text>
    </Stack>
  );
}

function Part({ title, onEdit, children }: { title: string; onEdit?: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h4">
            {title}
          </Title>
          {onEdit ? (
            <Button
              size="sm"
              variant="subtle"
              onClick={onEdit}
              aria-label={`${t('citizen.submit.edit')}: ${title}`}
            >
              {t('citizen.submit.edit')}
            </Button>
          ) : null}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}
