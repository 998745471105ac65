import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The server's reason this citizen cannot file online (VNeID level, or not an online procedure). */
export function EligibilityRefused({ code, message }: { code: string; message: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="orange"
      role="alert"
      data-testid="eligibility-refused"
      title={t('citizen.submit.refusedTitle')}
      p="md"
    >
      <Stack gap="sm">
        <Text>{message}</Text>
        <Text fw={600}>{t('citizen.submit.atCounter')}</Text>
        <Anchor
          component={Link}
          to={`/procedures/${encodeURIComponent(code)}`}
          fw={600}
          c="inherit"
          underline="always"
        >
          {t('citizen.submit.procedureLink')}
        </Anchor>
      </Stack>
    </Alert>
  );
}
