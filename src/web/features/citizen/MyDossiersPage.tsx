import { Alert, Anchor, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { type CitizenMe, listMyDossiers } from '../../api/citizen.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { ListPagination } from '../../components/ListPagination.tsx';
import { DraftList } from './DraftList.tsx';
import { MyDossierCard } from './MyDossierCard.tsx';
import { RequireCitizen } from './RequireCitizen.tsx';
import { StoreConsentRequests } from './StoreConsentRequests.tsx';

const PAGE_SIZE = 10;

/** "Hồ sơ của tôi": what the citizen is still writing, and every dossier filed under their ID. */
export default function MyDossiersPage() {
  return <RequireCitizen>{(me) => <MyDossiers me={me} />}</RequireCitizen>;
}

function MyDossiers({ me }: { me: CitizenMe }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = useQuery({
    queryKey: ['citizen-dossiers', page],
    queryFn: () => listMyDossiers(page, PAGE_SIZE),
    placeholderData: keepPreviousData,
  });
  const data = query.data;
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('citizen.my.heading')}</Title>
        <Text>{t('citizen.my.greeting', { name: me.citizen.fullName })}</Text>
      </Stack>
      <StoreConsentRequests />
      <DraftList />
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t('citizen.my.dossiersHeading')}
        </Title>
        {query.error ? <ErrorNotice error={query.error} onRetry={() => void query.refetch()} /> : null}
        {!data && query.isPending ? <PageLoader /> : null}
        {data && data.total === 0 ? (
          <Alert color="gray">
            <Stack gap="xs">
              <Text>{t('citizen.my.empty')}</Text>
              <Anchor component={Link} to="/procedures" fw={600}>
                {t('citizen.my.findProcedure')}
              </Anchor>
            </Stack>
          </Alert>
        ) : null}
        {data && data.items.length > 0 ? (
          <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {data.items.map((d) => (
              <MyDossierCard key={d.id} dossier={d} />
            ))}
          </Stack>
        ) : null}
        <ListPagination
          total={data?.total ?? 0}
          pageSize={data?.pageSize ?? PAGE_SIZE}
          page={page}
          onChange={(p) => {
            setParams(p > 1 ? { page: String(p) } : {});
            window.scrollTo({ top: 0 });
          }}
        />
      </Stack>
    </Stack>
  );
}
