import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PROCEDURE_FIELDS } from '../../../core/catalog/procedure.schemas.ts';
import { searchProcedures } from '../../api/catalog.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { DurationText } from '../../components/DurationText.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { ListPagination } from '../../components/ListPagination.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';

const PAGE_SIZE = 20;

/** The catalogue: search without diacritics, filter by field and online level, page; all kept in the URL. */
export default function CataloguePage() {
  const { t } = useTranslation();
  const { get, page, q: debounced, search: q, setSearch: setQ, set } = useUrlFilters();
  const field = get('field');
  const onlineLevel = get('onlineLevel');

  const query = useQuery({
    queryKey: ['procedures', debounced, field, onlineLevel, page],
    queryFn: ({ signal }) =>
      searchProcedures({ q: debounced, field, onlineLevel, page, pageSize: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });
  const data = query.data;

  return (
    <Stack>
      <Title order={1}>{t('catalogue.heading')}</Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }} role="search">
        <TextInput
          label={t('catalogue.search')}
          placeholder={t('catalogue.searchPlaceholder')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          type="search"
        />
        <NativeSelect
          label={t('catalogue.field')}
          value={field}
          onChange={(e) => set({ field: e.currentTarget.value })}
          data={[
            { value: '', label: t('catalogue.allFields') },
            ...Object.keys(PROCEDURE_FIELDS).map((f) => ({
              value: f,
              label: t(`fields.${f as keyof typeof PROCEDURE_FIELDS}`),
            })),
          ]}
        />
        <NativeSelect
          label={t('catalogue.onlineLevel')}
          value={onlineLevel}
          onChange={(e) => set({ onlineLevel: e.currentTarget.value })}
          data={[
            { value: '', label: t('catalogue.allLevels') },
            { value: 'full', label: t('onlineLevel.full') },
            { value: 'partial', label: t('onlineLevel.partial') },
            { value: 'none', label: t('onlineLevel.none') },
          ]}
        />
      </SimpleGrid>
      {query.error ? <ErrorNotice error={query.error} onRetry={() => void query.refetch()} /> : null}
      {!data && query.isPending ? <PageLoader /> : null}
      {data ? (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {t('catalogue.results', { count: data.total })}
          </Text>
          {data.items.length === 0 ? <Alert color="gray">{t('catalogue.none')}</Alert> : null}
          <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {data.items.map((p) => (
              <Card component="li" key={p.code} withBorder padding="md">
                <Stack gap={6}>
                  <Anchor component={Link} to={`/procedures/${p.code}`} fw={600} className="wrap-anywhere">
                    {p.name}
                  </Anchor>
                  <Group gap="xs">
                    <Badge variant="light" color="gray">
                      {t(`fields.${p.field}`)}
                    </Badge>
                    <Badge variant="light" color={p.onlineLevel === 'none' ? 'gray' : 'teal'}>
                      {t(`onlineLevel.${p.onlineLevel}`)}
                    </Badge>
                    <Badge variant="light" color={p.hasFees ? 'yellow' : 'green'}>
                      {p.hasFees ? t('catalogue.hasFees') : t('catalogue.free')}
                    </Badge>
                  </Group>
                  <Text size="sm">
                    {t('catalogue.code')}: {p.code} · {t('catalogue.duration')}:{' '}
                    <DurationText duration={p.duration} />
                  </Text>
                </Stack>
              </Card>
            ))}
          </Stack>
          <ListPagination
            total={data?.total ?? 0}
            pageSize={data?.pageSize ?? PAGE_SIZE}
            page={page}
            onChange={(p) => set({ page: String(p) })}
          />
        </>
      ) : null}
    </Stack>
  );
}
