import { Alert, Anchor, Badge, Button, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { getProcedure } from '../../api/catalog.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { DurationText } from '../../components/DurationText.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatVnd } from '../../components/format.ts';

/** One procedure as published: what to bring, what it costs, how long it takes, and on what legal basis. */
export default function ProcedurePage() {
  const { t, i18n } = useTranslation();
  const { code = '' } = useParams();
  const query = useQuery({ queryKey: ['procedure', code], queryFn: () => getProcedure(code) });
  if (query.error) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <PageLoader />;
  const p = query.data.procedure;
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/procedures" size="sm">
        ← {t('catalogue.heading')}
      </Anchor>
      <Stack gap={6}>
        <Title order={1} size="h2" className="wrap-anywhere">
          {p.name}
        </Title>
        <Group gap="xs">
          <Badge variant="light" color="gray">
            {t(`fields.${p.field}`)}
          </Badge>
          <Badge variant="light" color={p.onlineLevel === 'none' ? 'gray' : 'teal'}>
            {t(`onlineLevel.${p.onlineLevel}`)}
          </Badge>
          <Text size="sm" c="dimmed">
            {t('catalogue.code')}: {p.code}
          </Text>
        </Group>
      </Stack>
      {p.vneidLevel === null ? (
        <Alert color="gray">{t('catalogue.notOnline')}</Alert>
      ) : (
        <Alert color="teal" styles={{ body: { minWidth: 0 } }}>
          <Stack gap="sm">
            <Text className="wrap-anywhere">{t('catalogue.vneidLevel', { level: p.vneidLevel })}</Text>
            <Button
              component={Link}
              to={`/submit/${encodeURIComponent(p.code)}`}
              size="lg"
              fullWidth
              h="auto"
              py="sm"
              styles={{ label: { whiteSpace: 'normal', textAlign: 'center' } }}
            >
              {t('catalogue.submitOnline')}
            </Button>
          </Stack>
        </Alert>
      )}
      <Table variant="vertical" layout="fixed" withTableBorder>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w="40%">{t('catalogue.duration')}</Table.Th>
            <Table.Td>
              <DurationText duration={p.duration} />
              {p.durationNote ? <Text size="sm">{p.durationNote}</Text> : null}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('catalogue.agency')}</Table.Th>
            <Table.Td>{p.competentAgency}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('catalogue.result')}</Table.Th>
            <Table.Td>{p.resultName}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('catalogue.fees')}</Table.Th>
            <Table.Td>
              {p.fees.length === 0
                ? t('catalogue.free')
                : p.fees.map((f) => (
                    <Text key={f.name} size="sm">
                      {f.name}: {formatVnd(f.amountVnd, i18n.language)}
                      {f.per ? ` ${t('catalogue.perUnit', { per: f.per })}` : ''}
                      {f.exemptions ? ` (${f.exemptions})` : ''}
                    </Text>
                  ))}
            </Table.Td>
          </Table.Tr>
          {p.interAgency ? (
            <Table.Tr>
              <Table.Th>{t('catalogue.steps')}</Table.Th>
              <Table.Td>{t('catalogue.interAgency', { agency: p.interAgency.agency })}</Table.Td>
            </Table.Tr>
          ) : null}
        </Table.Tbody>
      </Table>
      <Stack gap="xs">
        <Title order={2} size="h3">
          {t('catalogue.components')}
        </Title>
        <List spacing="xs">
          {p.components.map((c) => (
            <List.Item key={c.key}>
              <Text span fw={500}>
                {c.name}
              </Text>{' '}
              <Badge size="sm" variant="outline" color={c.requirement === 'required' ? 'red' : 'gray'}>
                {c.requirement === 'required' ? t('catalogue.required') : t('catalogue.conditional')}
              </Badge>
              <Text size="sm" c="dimmed">
                {[
                  c.originals ? t('catalogue.originals', { count: c.originals }) : null,
                  c.copies ? t('catalogue.copies', { count: c.copies }) : null,
                  c.condition ?? null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </List.Item>
          ))}
        </List>
      </Stack>
      <Stack gap="xs">
        <Title order={2} size="h3">
          {t('catalogue.legalBasis')}
        </Title>
        <List spacing={4} size="sm">
          {p.legalBasis.map((b) => (
            <List.Item key={b}>{b}</List.Item>
          ))}
        </List>
      </Stack>
    </Stack>
  );
}
