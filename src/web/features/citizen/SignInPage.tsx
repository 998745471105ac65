import { Alert, Anchor, Button, Card, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { vneidStartUrl } from '../../api/citizen.ts';
import { safeReturnTo, useCitizenMe } from './use-citizen.ts';

/** Sign in with VNeID: one sentence, one big button, and what went wrong last time in plain words. */
export default function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const error = params.get('error');
  const me = useCitizenMe();
  const [going, setGoing] = useState(false);
  // Back from VNeID with the browser's back button: the page comes from the cache, still "going".
  useEffect(() => {
    const reset = (e: PageTransitionEvent) => e.persisted && setGoing(false);
    window.addEventListener('pageshow', reset);
    return () => window.removeEventListener('pageshow', reset);
  }, []);
  if (me.data) return <Navigate to={returnTo} replace />;
  return (
    <Stack maw={520} mx="auto" gap="lg">
      <Title order={1}>{t('citizen.signin.heading')}</Title>
      {error === 'expired' || error === 'failed' ? (
        <Alert color="red" role="alert">
          {t(`citizen.signin.${error}`)}
        </Alert>
      ) : null}
      <Card withBorder padding="lg">
        <Stack>
          <Text size="lg">{t('citizen.signin.lead')}</Text>
          <Button
            size="lg"
            fullWidth
            h="auto"
            py="md"
            styles={{ label: { whiteSpace: 'normal', textAlign: 'center' } }}
            loading={going}
            onClick={() => {
              setGoing(true);
              window.location.assign(vneidStartUrl(returnTo));
            }}
          >
            {t('citizen.signin.button')}
          </Button>
          {going ? (
            <Text size="sm" role="status">
              {t('citizen.signin.going')}
            </Text>
          ) : null}
        </Stack>
      </Card>
      <Text size="sm">{t('citizen.signin.noAccount')}</Text>
      <Text size="sm">
        {t('citizen.signin.trackWithout')}{' '}
        <Anchor component={Link} to="/track">
          {t('nav.track')}
        </Anchor>
      </Text>
    </Stack>
  );
}
