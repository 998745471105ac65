import { Anchor, Box, Burger, Button, Container, Drawer, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, NavLink, Route, Routes } from 'react-router';
import { ROLE_TITLES_VI, type StaffRole } from '../../../core/identity/roles.ts';
import { ApiError } from '../../api/client.ts';
import { getMe, logout, type Me } from '../../api/staff.ts';
import { Lazy, PageLoader } from '../../app/Lazy.tsx';
import { Preferences } from '../../app/Preferences.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { LoginPage } from './LoginPage.tsx';

const WorkListPage = lazy(() => import('./WorkListPage.tsx'));
const DossierPage = lazy(() => import('./DossierPage.tsx'));
const IntakePage = lazy(() => import('../counter/IntakePage.tsx'));
const StatsPage = lazy(() => import('../stats/StatsPage.tsx'));
const StatsDossiersPage = lazy(() => import('../stats/StatsDossiersPage.tsx'));
const ReportsPage = lazy(() => import('../reports/ReportsPage.tsx'));
const JobsPage = lazy(() => import('../jobs/JobsPage.tsx'));

const RECEPTION_ROLES: ReadonlySet<StaffRole> = new Set(['reception_officer', 'support_volunteer']);
/** A volunteer files for citizens and sees no figures (the server's canSeeStats). */
const NO_STATS_ROLES: ReadonlySet<StaffRole> = new Set(['support_volunteer']);

/** The staff face at /staff: the sign-in page, then work lists, dossiers and the counter. */
export default function StaffApp() {
  const me = useQuery({
    queryKey: ['me'],
    queryFn: getMe,
    retry: (count, error) => error instanceof ApiError && error.isNetwork && count < 2,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (me.isPending) return <PageLoader />;
  if (me.error && !(me.error instanceof ApiError && me.error.status === 401)) {
    return (
      <Container size="xs" py="xl">
        <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />
      </Container>
    );
  }
  if (!me.data) {
    return (
      <Routes>
        <Route path="*" element={<LoginPage />} />
      </Routes>
    );
  }
  return <SignedIn me={me.data} />;
}

function SignedIn({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const out = useMutation({
    mutationFn: logout,
    // A full reload: nothing of the last officer's dossiers stays in a shared counter PC's memory.
    onSuccess: () => window.location.assign('/staff'),
  });
  const canIntake = RECEPTION_ROLES.has(me.user.role);
  const canSeeStats = !NO_STATS_ROLES.has(me.user.role);
  const canManageJobs = me.user.role === 'system_admin';
  const home = '/staff/dossiers';
  const links = (
    <>
      <Anchor component={NavLink} to="/staff/dossiers" onClick={close} c="white" fw={500}>
        {t('staff.worklist')}
      </Anchor>
      {canIntake ? (
        <Anchor component={NavLink} to="/staff/intake" onClick={close} c="white" fw={500}>
          {t('staff.intake')}
        </Anchor>
      ) : null}
      {canSeeStats ? (
        <Anchor component={NavLink} to="/staff/stats" onClick={close} c="white" fw={500}>
          {t('stats.nav')}
        </Anchor>
      ) : null}
      {canSeeStats ? (
        <Anchor component={NavLink} to="/staff/reports" onClick={close} c="white" fw={500}>
          {t('reports.nav')}
        </Anchor>
      ) : null}
      {canManageJobs ? (
        <Anchor component={NavLink} to="/staff/jobs" onClick={close} c="white" fw={500}>
          {t('jobs.nav')}
        </Anchor>
      ) : null}
    </>
  );
  return (
    <Box mih="100vh">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Box component="header" bg="blue.9" c="white" className="no-print">
        <Container size="xl" py="xs">
          <Group justify="space-between" wrap="nowrap">
            <Group gap="lg" wrap="nowrap">
              <Anchor component={Link} to={home} c="white" fw={700} underline="never">
                {t('app.staffTitle')}
              </Anchor>
              <Group gap="md" visibleFrom="sm" component="nav">
                {links}
              </Group>
            </Group>
            <Group gap="sm" visibleFrom="sm" wrap="nowrap">
              <Text size="sm" data-testid="signed-in-as">
                {t('staff.signedInAs', { name: me.user.fullName, role: ROLE_TITLES_VI[me.user.role] })}
              </Text>
              <Button size="xs" variant="white" onClick={() => out.mutate()} loading={out.isPending}>
                {t('staff.logout')}
              </Button>
            </Group>
            <Burger
              hiddenFrom="sm"
              opened={opened}
              onClick={toggle}
              color="white"
              aria-label={t('app.menu')}
            />
          </Group>
        </Container>
      </Box>
      <Box bg="gray.0" className="no-print" visibleFrom="sm">
        <Container size="xl" py={4}>
          <Group justify="flex-end">
            <Preferences />
          </Group>
        </Container>
      </Box>
      <Drawer opened={opened} onClose={close} title={me.user.fullName} hiddenFrom="sm" size="xs">
        <Stack component="nav" gap="md" bg="blue.9" p="md">
          {links}
        </Stack>
        <Stack mt="md">
          <Preferences />
          <Button variant="light" onClick={() => out.mutate()}>
            {t('staff.logout')}
          </Button>
        </Stack>
      </Drawer>
      <Container id="main" component="main" size="xl" py="md">
        <Routes>
          <Route index element={<Navigate to={canIntake ? '/staff/intake' : home} replace />} />
          <Route path="dossiers" element={<Lazy page={WorkListPage} />} />
          <Route path="dossiers/:id" element={<Lazy page={DossierPage} />} />
          <Route path="intake" element={<Lazy page={IntakePage} />} />
          <Route path="stats" element={<Lazy page={StatsPage} />} />
          <Route path="stats/dossiers" element={<Lazy page={StatsDossiersPage} />} />
          {canSeeStats ? <Route path="reports" element={<Lazy page={ReportsPage} />} /> : null}
          {canManageJobs ? <Route path="jobs" element={<Lazy page={JobsPage} />} /> : null}
          <Route path="*" element={<Navigate to={home} replace />} />
        </Routes>
      </Container>
    </Box>
  );
}
