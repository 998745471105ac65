import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

/** What went wrong in words a citizen understands, with a retry when the link dropped. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const api = error instanceof ApiError ? error : null;
  const badAnswer = api?.code === 'BAD_ANSWER';
  const message = !api
    ? t('errors.server')
    : badAnswer
      ? t('errors.badAnswer')
      : api.isNetwork
        ? t('errors.network')
        : api.status >= 500
          ? t('errors.server')
          : api.message;
  return (
    <Alert color="red" role="alert" title={api?.isNetwork ? t('app.offline') : undefined}>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm">{message}</Text>
        {badAnswer ? (
          <Button size="sm" variant="white" color="red" onClick={() => window.location.reload()}>
            {t('errors.reload')}
          </Button>
        ) : onRetry && (api?.isNetwork || (api?.status ?? 500) >= 500) ? (
          <Button size="sm" variant="white" color="red" onClick={onRetry}>
            {t('app.retry')}
          </Button>
        ) : null}
      </Group>
    </Alert>
  );
}
