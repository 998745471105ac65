import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { logoutCitizen } from '../../api/citizen.ts';
import { signInPath, useCitizenMe } from './use-citizen.ts';

/**
 * The citizen's corner of the portal header: "Đăng nhập", or their dossiers, name and "Đăng xuất".
 * `compact` is the phone header (one link; the rest is in the menu); `onDark` for the blue header.
 */
export function CitizenMenu({
  compact = false,
  onDark = false,
  onNavigate,
}: {
  compact?: boolean;
  onDark?: boolean;
  onNavigate?: () => void;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useCitizenMe();
  const out = useMutation({
    mutationFn: logoutCitizen,
    // A full reload: nothing of this citizen's dossiers stays in a shared phone's memory.
    onSuccess: () => window.location.assign('/'),
  });
  // Unknown yet, or the server cannot be reached: the header stays quiet; the pages say what is wrong.
  if (!me.data && !me.signedOut) return null;
  const colour = onDark ? 'white' : undefined;
  if (!me.data) {
    if (location.pathname === '/signin') return null;
    return (
      <Button
        component={Link}
        to={signInPath(`${location.pathname}${location.search}`)}
        onClick={onNavigate}
        size="sm"
        variant={onDark ? 'white' : 'filled'}
      >
        {t('citizen.signIn')}
      </Button>
    );
  }
  if (compact) {
    return (
      <Anchor
        component={Link}
        to="/my"
        c={colour}
        fw={600}
        fz="sm"
        onClick={onNavigate}
        style={{ whiteSpace: 'nowrap' }}
      >
        {t('citizen.myDossiers')}
      </Anchor>
    );
  }
  return (
    <Stack gap={4}>
      <Group gap="sm" wrap="wrap">
        <Anchor component={Link} to="/my" c={colour} fw={600} onClick={onNavigate}>
          {t('citizen.myDossiers')}
        </Anchor>
        <Text size="sm" c={colour} data-testid="citizen-name">
          {me.data.citizen.fullName}
        </Text>
        <Button
          size="xs"
          variant={onDark ? 'white' : 'default'}
          onClick={() => out.mutate()}
          loading={out.isPending}
        >
          {t('citizen.signOut')}
        </Button>
      </Group>
      {out.isError ? (
        <Text size="sm" c={onDark ? 'white' : 'red.8'} role="alert">
          {t('citizen.signOutFailed')}
        </Text>
      ) : null}
    </Stack>
  );
}
