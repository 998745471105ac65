import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { listDossierMessages } from '../../api/notifications.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../components/format.ts';

const STATUS_COLOR: Record<string, string> = {
  pending: 'gray',
  sending: 'yellow',
  sent: 'blue',
  delivered: 'green',
  failed: 'red',
  cancelled: 'gray',
};

/** The provider's answer in words, with its code (zns -118, http 503, timeout) for the help desk. */
function errorKey(code: string) {
  if (/^zns -(114|118|119)$/.test(code)) return 'notOnZalo';
  if (code === 'zns -115') return 'quota';
  if (code === 'zns -108') return 'phone';
  if (/^(timeout|connection|http 5\d\d|http 429|zns -100|smtp 4\d\d)$/.test(code)) return 'retry';
  return 'other';
}

/** What the applicant was told about the dossier: channel, message, status, tries and time of each. */
export function DossierMessages({ id, version }: { id: number; version: number }) {
  const { t, i18n } = useTranslation();
  // The dossier's version in the key: an action that sends a message shows it without a reload.
  const query = useQuery({
    queryKey: ['dossier-messages', id, version],
    queryFn: ({ signal }) => listDossierMessages(id, signal),
    refetchInterval: (q) =>
      q.state.data?.items.some((m) => m.status === 'pending' || m.status === 'sending') ? 3000 : false,
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('dossier.messages')}
      </Title>
      {query.error ? <ErrorNotice error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.data && query.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('dossier.noMessages')}
        </Text>
      ) : null}
      {query.data && query.data.items.length > 0 ? (
        <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {query.data.items.map((m) => (
            <li key={m.id}>
              <Group gap={6} wrap="wrap">
                <Text size="sm" fw={500}>
                  {t(`dossier.messageEvent.${m.event}`)}
                </Text>
                <Badge color={STATUS_COLOR[m.status]} variant="light">
                  {t(`dossier.messageStatus.${m.status}`)}
                </Badge>
              </Group>
              <Text size="xs" c="dimmed">
                {t(`dossier.messageChannel.${m.channel}`)} · {m.recipient} ·{' '}
                {formatDateTime(m.sentAt ?? m.createdAt, i18n.language)}
                {m.fallbackOf ? ` · ${t('dossier.messageFallback')}` : ''}
                {m.attempts > 1 ? ` · ${t('dossier.messageAttempts', { count: m.attempts })}` : ''}
                {m.error && m.status !== 'sent' && m.status !== 'delivered'
                  ? ` · ${t(`dossier.messageError.${errorKey(m.error)}`)} (${m.error})`
                  : ''}
              </Text>
            </li>
          ))}
        </Stack>
      ) : null}
    </Card>
  );
}
