import { Anchor, Box, Burger, Container, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet } from 'react-router';
import { CitizenMenu } from '../features/citizen/CitizenMenu.tsx';
import { Preferences } from './Preferences.tsx';

const MenuDrawer = lazy(() => import('./MenuDrawer.tsx'));

const LINKS = [
  { to: '/procedures', key: 'nav.procedures' },
  { to: '/track', key: 'nav.track' },
] as const;

/** The citizen's face: a plain header, the page, a footer; the menu folds away on a phone. */
export function PortalLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  // Loaded the first time the menu opens, then kept (so it can animate closed).
  const [menuWanted, setMenuWanted] = useState(false);
  useEffect(() => {
    if (opened) setMenuWanted(true);
  }, [opened]);
  const links = (
    <>
      {LINKS.map((l) => (
        <Anchor key={l.to} component={NavLink} to={l.to} onClick={close} fw={500}>
          {t(l.key)}
        </Anchor>
      ))}
      {/* The verification page is served by the server itself (no script needed). */}
      <Anchor href="/verify" fw={500}>
        {t('nav.verify')}
      </Anchor>
    </>
  );
  return (
    <Box mih="100vh" style={{ display: 'flex', flexDirection: 'column' }}>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Box component="header" bg="blue.8" c="white" className="no-print">
        <Container size="lg" py="sm">
          <Group justify="space-between" wrap="nowrap">
            <Anchor component={Link} to="/" c="white" fw={700} fz="lg" underline="never">
              {t('app.name')}
              <Text span inherit visibleFrom="xs">
                {' · '}
                {t('app.portalTitle')}
              </Text>
            </Anchor>
            <Group gap="sm" wrap="nowrap" visibleFrom="sm">
              <CitizenMenu onDark />
            </Group>
            <Group gap="xs" wrap="nowrap" hiddenFrom="sm">
              <CitizenMenu onDark compact />
              <Burger opened={opened} onClick={toggle} color="white" aria-label={t('app.menu')} />
            </Group>
          </Group>
        </Container>
      </Box>
      <Box
        component="nav"
        bg="gray.0"
        className="no-print"
        visibleFrom="sm"
        aria-label={t('app.portalTitle')}
      >
        <Container size="lg" py="xs">
          <Group justify="space-between">
            <Group gap="lg">{links}</Group>
            <Preferences />
          </Group>
        </Container>
      </Box>
      {menuWanted ? (
        <Suspense fallback={null}>
          <MenuDrawer
            opened={opened}
            onClose={close}
            title={t('app.portalTitle')}
            closeLabel={t('app.closeMenu')}
          >
            <Stack component="nav" gap="md">
              {links}
              <CitizenMenu onNavigate={close} />
              <Preferences />
            </Stack>
          </MenuDrawer>
        </Suspense>
      ) : null}
      <Container id="main" component="main" size="lg" py="md" w="100%" style={{ flex: 1 }}>
        <Outlet />
      </Container>
      <Box component="footer" bg="gray.1" className="no-print">
        <Container size="lg" py="sm">
          <Group justify="space-between">
            <Text size="sm">{t('app.footer')}</Text>
            <Group gap="md">
              <Anchor component={Link} to="/board" size="sm">
                {t('nav.board')}
              </Anchor>
              <Anchor component={Link} to="/staff" size="sm">
                {t('nav.staff')}
              </Anchor>
            </Group>
          </Group>
        </Container>
      </Box>
    </Box>
  );
}
