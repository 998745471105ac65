import { Alert, Anchor, Button, Card, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../../components/format.ts';
import type { Filed } from './recover.ts';

/** Filed: the code, big, to write down; what happens next; where to follow it. */
export function SubmitDone({ filed }: { filed: Filed }) {
  const { t, i18n } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    window.scrollTo({ top: 0 });
    heading.current?.focus();
  }, []);
  return (
    <Stack gap="md">
      <Alert color="green" role="status" p="md">
        <Title order={2} size="h3" ref={heading} tabIndex={-1}>
          {t('citizen.submit.doneTitle')}
        </Title>
      </Alert>
      <Card withBorder padding="lg">
        <Stack gap="xs" align="flex-start">
          <Text>{t('citizen.submit.doneCode')}</Text>
          <Text fz={28} fw={700} className="wrap-anywhere" data-testid="submitted-code">
            {filed.code}
          </Text>
          <Text size="sm">{t('citizen.submit.keepCode')}</Text>
        </Stack>
      </Card>
      <Text>{t('citizen.submit.doneNote')}</Text>
      {filed.dueAt ? (
        <Text fw={600}>
          {t('citizen.submit.doneDue', { at: formatDateTime(filed.dueAt, i18n.language) })}
        </Text>
      ) : null}
      <Stack gap="sm">
        <Button component={Link} to={`/my/${filed.id}`} size="lg">
          {t('citizen.submit.openDossier')}
        </Button>
        <Anchor component={Link} to={`/track/${encodeURIComponent(filed.code)}`} fw={500}>
          {t('citizen.submit.track')}
        </Anchor>
      </Stack>
    </Stack>
  );
}
