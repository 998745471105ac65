import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack py="xl">
      <Title order={1}>{t('app.notFound')}</Title>
      <Text>
        <Anchor component={Link} to="/">
          {t('app.backHome')}
        </Anchor>
      </Text>
    </Stack>
  );
}
