import { Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { shellValues } from '../../app/shell.ts';
import { TrackForm } from '../tracking/TrackForm.tsx';

/** The portal's front page: find a procedure, or track a dossier, in one step each. */
export function HomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState(shellValues.q);
  const search = (e: FormEvent) => {
    e.preventDefault();
    navigate(q.trim() ? `/procedures?q=${encodeURIComponent(q.trim())}` : '/procedures');
  };
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('home.heading')}</Title>
        <Text>{t('home.lead')}</Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <Card withBorder padding="lg">
          <search>
            <form onSubmit={search}>
              <Stack>
                <TextInput
                  size="md"
                  label={t('home.searchLabel')}
                  placeholder={t('home.searchPlaceholder')}
                  value={q}
                  onChange={(e) => setQ(e.currentTarget.value)}
                />
                <Group>
                  <Button type="submit" size="md">
                    {t('home.search')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </search>
        </Card>
        <Card withBorder padding="lg">
          <Stack gap="xs">
            <Title order={2} size="h3">
              {t('home.trackHeading')}
            </Title>
            <Text size="sm">{t('home.trackLead')}</Text>
            <TrackForm initial={shellValues.code} />
          </Stack>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
