import { Badge, Card, Table, Text, Title } from '@mantine/core';
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
        <Table.ScrollContainer minWidth={420}>
          <Table fz="sm" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dossier.messageCols.when')}</Table.Th>
                <Table.Th>{t('dossier.messageCols.message')}</Table.Th>
                <Table.Th>{t('dossier.messageCols.channel')}</Table.Th>
                <Table.Th>{t('dossier.messageCols.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{formatDateTime(m.sentAt ?? m.createdAt, i18n.language)}</Table.Td>
                  <Table.Td>{t(`dossier.messageEvent.${m.event}`)}</Table.Td>
                  <Table.Td>
                    {t(`dossier.messageChannel.${m.channel}`)} · {m.recipient}
                    {m.fallbackOf ? (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        ({t('dossier.messageFallback')})
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[m.status]} variant="light">
                      {t(`dossier.messageStatus.${m.status}`)}
                    </Badge>
                    {m.attempts > 1 ? (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {t('dossier.messageAttempts', { count: m.attempts })}
                      </Text>
                    ) : null}
                    {m.error && m.status !== 'sent' && m.status !== 'delivered' ? (
                      <Text size="xs" c="dimmed">
                        {m.error}
                      </Text>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Card>
  );
}
