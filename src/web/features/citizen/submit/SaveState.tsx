import { Alert, Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { vneidStartUrl } from '../../../api/citizen.ts';
import type { SyncState } from './use-draft-sync.ts';

/** Whether the draft reached the server: quiet when it did, plain words when the link is down. */
export function SaveState({ state, savedAt }: { state: SyncState; savedAt: Date | null }) {
  const { t, i18n } = useTranslation();
  if (state === 'failed') {
    return (
      <Alert color="yellow" role="status">
        {t('citizen.submit.unsaved')}
      </Alert>
    );
  }
  const at = savedAt
    ? new Intl.DateTimeFormat(i18n.language, {
        timeZone: 'Asia/Ho_Chi_Minh',
        hour: '2-digit',
        minute: '2-digit',
      }).format(savedAt)
    : '';
  return (
    <Text size="sm" c="dimmed" role="status" aria-live="polite">
      {state === 'saving' ? t('citizen.submit.saving') : savedAt ? t('citizen.submit.saved', { at }) : ''}
    </Text>
  );
}

/** The sign-in ran out mid-way: what was typed stays in this tab; signing in again comes back here. */
export function SessionExpired() {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Alert color="orange" role="alert">
      <Stack gap="sm" align="flex-start">
        <Text>{t('citizen.submit.expired')}</Text>
        <Button component="a" href={vneidStartUrl(location.pathname)} size="md">
          {t('citizen.signin.button')}
        </Button>
      </Stack>
    </Alert>
  );
}
