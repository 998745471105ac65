import { Button, Card, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { listDrafts } from '../../api/citizen.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../components/format.ts';

/** The submissions the citizen started and has not sent yet: one button each to go on. */
export function DraftList() {
  const { t, i18n } = useTranslation();
  const drafts = useQuery({ queryKey: ['citizen-drafts'], queryFn: listDrafts });
  if (drafts.error) return <ErrorNotice error={drafts.error} onRetry={() => void drafts.refetch()} />;
  const items = drafts.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {t('citizen.my.draftsHeading')}
      </Title>
      <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map((d) => (
          <Card component="li" key={d.procedureCode} withBorder padding="md" bg="yellow.0">
            <Stack gap={8}>
              <Text fw={600} className="wrap-anywhere">
                {d.procedureName ?? d.procedureCode}
              </Text>
              <Text size="sm" c="dimmed">
                {t('citizen.my.draftSaved', { at: formatDateTime(d.updatedAt, i18n.language) })}
              </Text>
              <Button
                component={Link}
                to={`/submit/${encodeURIComponent(d.procedureCode)}`}
                size="md"
                variant="filled"
                aria-label={`${t('citizen.my.continue')} — ${d.procedureName ?? d.procedureCode}`}
              >
                {t('citizen.my.continue')}
              </Button>
            </Stack>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
