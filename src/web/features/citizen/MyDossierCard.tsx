import { Alert, Anchor, Button, Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CitizenDossierItem } from '../../api/citizen.ts';
import { DeadlineBadge } from '../../components/DeadlineBadge.tsx';
import { formatDateTime } from '../../components/format.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';

/** One dossier in the citizen's list, with the one thing to do now when there is one. */
export function MyDossierCard({ dossier: d }: { dossier: CitizenDossierItem }) {
  const { t, i18n } = useTranslation();
  const to = `/my/${d.id}`;
  const action = d.needsSupplement
    ? { label: t('citizen.my.supplementNow'), note: t('citizen.my.needsSupplement'), color: 'orange' }
    : d.hasResult
      ? { label: t('citizen.my.seeResult'), note: t('citizen.my.resultReady'), color: 'teal' }
      : null;
  return (
    <Card component="li" withBorder padding="md">
      <Stack gap={8}>
        <Anchor component={Link} to={to} fw={600} fz="lg" className="wrap-anywhere">
          {d.procedureName}
        </Anchor>
        <Text size="sm">
          {t('citizen.dossier.code')}: <strong>{d.code}</strong> · {t(`channel.${d.channel}`)}
        </Text>
        <Group gap="xs">
          <StatusBadge statusCode={d.statusCode} />
          <DeadlineBadge dueAt={d.dueAt} overdue={d.overdue} statusCode={d.statusCode} />
        </Group>
        <Text size="sm" c="dimmed">
          {t('citizen.my.submittedAt', { at: formatDateTime(d.submittedAt, i18n.language) })}
        </Text>
        {action ? (
          <Alert color={action.color} p="sm">
            <Stack gap={8}>
              <Text fw={600}>{action.note}</Text>
              <Button component={Link} to={to} size="md" aria-label={`${action.label} — ${d.code}`}>
                {action.label}
              </Button>
            </Stack>
          </Alert>
        ) : null}
      </Stack>
    </Card>
  );
}
