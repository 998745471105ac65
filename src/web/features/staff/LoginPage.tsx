import { Alert, Button, Card, Container, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { login } from '../../api/staff.ts';
import { Preferences } from '../../app/Preferences.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

/** /staff: officers sign in with their account; the session is an httpOnly cookie. */
export function LoginPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: () => login(username.trim(), password),
    onSuccess: (me) => client.setQueryData(['me'], me),
  });
  const error = mutation.error instanceof ApiError ? mutation.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <Container size={420} py="xl" component="main" id="main">
      <Stack>
        <Preferences />
        <Card withBorder padding="lg">
          <form onSubmit={submit} noValidate>
            <Stack>
              <Title order={1} size="h2">
                {t('staff.loginHeading')}
              </Title>
              {error && (error.status === 401 || error.status === 423 || error.status === 429) ? (
                <Alert color="red" role="alert">
                  {error.status === 401 ? t('staff.loginFailed') : error.message}
                </Alert>
              ) : mutation.error ? (
                <ErrorNotice error={mutation.error} onRetry={() => mutation.mutate()} />
              ) : null}
              <TextInput
                label={t('staff.username')}
                autoComplete="username"
                required
                value={username}
                error={error?.fields.username}
                onChange={(e) => setUsername(e.currentTarget.value)}
                data-autofocus
                autoFocus
              />
              <PasswordInput
                label={t('staff.password')}
                autoComplete="current-password"
                required
                value={password}
                error={error?.fields.password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button type="submit" loading={mutation.isPending}>
                {t('staff.login')}
              </Button>
            </Stack>
          </form>
        </Card>
      </Stack>
    </Container>
  );
}
