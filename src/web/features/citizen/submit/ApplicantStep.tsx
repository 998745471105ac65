import { Card, Checkbox, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CitizenMe } from '../../../api/citizen.ts';
import { AddressField } from '../../../components/AddressField.tsx';
import { formatDate } from '../../../components/format.ts';
import type { OnlineDraft } from './online-draft.ts';

export type SetField = <K extends keyof OnlineDraft>(key: K, value: OnlineDraft[K]) => void;

/** Step 1: who files (from VNeID, read only) and how to reach them (theirs to change). */
export function ApplicantStep({
  me,
  draft,
  set,
  leave,
  show,
}: {
  me: CitizenMe;
  draft: OnlineDraft;
  set: SetField;
  leave: (name: string) => void;
  show: (name: string) => string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <Card withBorder padding="md" bg="gray.0">
        <Stack gap="xs">
          <Title order={3} size="h4">
            {t('citizen.submit.identityHeading')}
          </Title>
          <Text size="sm">{t('citizen.submit.fromVneid')}</Text>
          <IdentityTable me={me} />
        </Stack>
      </Card>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('citizen.submit.contactHeading')}
        </Title>
        <TextInput
          size="md"
          label={t('citizen.submit.phone')}
          description={t('citizen.submit.phoneHint')}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          value={draft.phone}
          error={show('contact.phone')}
          onChange={(e) => set('phone', e.currentTarget.value)}
          onBlur={() => leave('contact.phone')}
        />
        <TextInput
          size="md"
          label={t('citizen.submit.email')}
          type="email"
          inputMode="email"
          autoComplete="email"
          value={draft.email}
          error={show('contact.email')}
          onChange={(e) => set('email', e.currentTarget.value)}
          onBlur={() => leave('contact.email')}
        />
        <Checkbox
          size="md"
          label={t('citizen.submit.notify')}
          description={t('citizen.submit.notifyHelp')}
          checked={draft.notify}
          onChange={(e) => set('notify', e.currentTarget.checked)}
        />
        <AddressField
          size="md"
          label={t('citizen.submit.address')}
          value={draft.address}
          communeCode={draft.addressCommuneCode}
          error={show('contact.address') ?? show('contact.addressCommuneCode')}
          onChange={(v) => set('address', v)}
          onCommune={(code) => set('addressCommuneCode', code)}
          onBlur={() => leave('contact.address')}
        />
      </Stack>
    </Stack>
  );
}

/** Name, personal ID and birth date as VNeID vouches for them. */
export function IdentityTable({ me }: { me: CitizenMe }) {
  const { t, i18n } = useTranslation();
  const c = me.citizen;
  const rows: [string, string][] = [
    [t('citizen.submit.fullName'), c.fullName],
    [t('citizen.submit.citizenId'), c.citizenId],
    [t('citizen.submit.dateOfBirth'), formatDate(c.dateOfBirth, i18n.language) || '—'],
  ];
  return (
    <Table variant="vertical" layout="fixed" withTableBorder bg="white">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w="42%">{label}</Table.Th>
            <Table.Td className="wrap-anywhere" fw={600}>
              {value}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
