import { Alert, Anchor, Badge, Button, Card, Grid, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { DossierAction } from '../../../core/dossiers/dossier-actions.ts';
import { addressLine } from '../../../core/dossiers/dossier-views.schemas.ts';
import { getDossier, listDocuments } from '../../api/staff.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { DeadlineBadge } from '../../components/DeadlineBadge.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { ActionDialog } from './ActionDialog.tsx';
import { DossierMessages } from './DossierMessages.tsx';
import { SignDialog } from './SignDialog.tsx';

/** One dossier: its facts, documents, control slip, and the actions its state allows the caller. */
export default function DossierPage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const [action, setAction] = useState<DossierAction | null>(null);
  const [signing, setSigning] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ['dossier', id],
    queryFn: () => getDossier(id),
    enabled: Number.isInteger(id),
  });
  const documents = useQuery({
    queryKey: ['documents', id],
    queryFn: () => listDocuments(id),
    enabled: Number.isInteger(id),
  });
  if (query.error) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <PageLoader />;
  const d = query.data;
  const lang = i18n.language;
  const facts: [string, string][] = [
    [t('dossier.applicant'), d.applicant.fullName],
    [t('dossier.citizenId'), d.applicant.citizenId],
    [t('dossier.dateOfBirth'), formatDate(d.applicant.dateOfBirth, lang)],
    [t('dossier.phone'), d.applicant.phone ?? ''],
    [t('dossier.address'), addressLine(d.applicant.address)],
    [t('dossier.channel'), t(`channel.${d.channel}`)],
    [t('dossier.submittedAt'), formatDateTime(d.submittedAt, lang)],
    [t('dossier.receivedAt'), d.receivedAt ? formatDateTime(d.receivedAt, lang) : t('dossier.notReceived')],
    [t('dossier.step'), d.step ? d.step.name : '—'],
  ];
  const helped = d.assisted;
  if (helped) {
    facts.push([
      t('dossier.assistedBy'),
      `${helped.byName} — ${t('dossier.assistedConsent')}${helped.note ? ` (${helped.note})` : ''}`,
    ]);
  }
  const results = documents.data?.results ?? [];
  return (
    <Stack>
      <Anchor component={Link} to="/staff/dossiers" size="sm">
        ← {t('staff.worklist')}
      </Anchor>
      <Group gap="sm" align="center">
        <Title order={1} size="h2">
          {d.code}
        </Title>
        <Badge size="lg" data-testid="dossier-status">
          {t(`status.s${d.statusCode as 1}`)}
        </Badge>
        <DeadlineBadge dueAt={d.dueAt} overdue={d.overdue} statusCode={d.statusCode} />
      </Group>
      <Text fw={500}>{d.procedure.name}</Text>
      {done ? (
        <Alert color="green" role="status" withCloseButton onClose={() => setDone(null)}>
          {done}
        </Alert>
      ) : null}
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t('dossier.details')}
              </Title>
              <Table variant="vertical" layout="fixed">
                <Table.Tbody>
                  {facts.map(([label, value]) => (
                    <Table.Tr key={label}>
                      <Table.Th w="35%">{label}</Table.Th>
                      <Table.Td className="wrap-anywhere">{value}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t('dossier.documents')}
              </Title>
              {documents.error ? (
                <ErrorNotice error={documents.error} onRetry={() => void documents.refetch()} />
              ) : null}
              <Stack gap="xs">
                {(documents.data?.components ?? []).map((c) => (
                  <div key={c.key}>
                    <Text size="sm" fw={500}>
                      {c.name}
                    </Text>
                    {c.documents.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('dossier.noDocuments')}
                      </Text>
                    ) : (
                      c.documents.map((doc) => (
                        <Anchor
                          key={doc.id}
                          href={`/api/documents/${doc.id}/file`}
                          target="_blank"
                          size="sm"
                          display="block"
                        >
                          {t('dossier.preview')}: {doc.name}
                        </Anchor>
                      ))
                    )}
                  </div>
                ))}
              </Stack>
            </Card>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t('dossier.timeline')}
              </Title>
              <Table.ScrollContainer minWidth={560}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('dossier.at')}</Table.Th>
                      <Table.Th>{t('dossier.action')}</Table.Th>
                      <Table.Th>{t('dossier.verdict')}</Table.Th>
                      <Table.Th>{t('dossier.note')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.controlSlip.map((r) => (
                      <Table.Tr key={r.seq}>
                        <Table.Td>{formatDateTime(r.at, lang)}</Table.Td>
                        <Table.Td>
                          {r.action === 'intake' ? t('actions.intake') : t(`actions.${r.action}`)}
                        </Table.Td>
                        <Table.Td>{r.verdict ? t(`verdict.${r.verdict}`) : ''}</Table.Td>
                        <Table.Td className="wrap-anywhere">{r.note ?? ''}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t('dossier.actions')}
              </Title>
              <Stack gap="xs">
                {d.canSignResult ? (
                  <Button color="green" onClick={() => setSigning(true)}>
                    {t('dossier.sign')}
                  </Button>
                ) : null}
                {d.allowedActions.map((a) => (
                  <Button
                    key={a.action}
                    variant={a.action === 'refuse' || a.action === 'stop' ? 'light' : 'filled'}
                    color={a.action === 'refuse' || a.action === 'stop' ? 'red' : 'blue'}
                    onClick={() => setAction(a.action)}
                  >
                    {t(`actions.${a.action}`)}
                  </Button>
                ))}
                {d.allowedActions.length === 0 && !d.canSignResult ? (
                  <Text size="sm" c="dimmed">
                    {t('dossier.noActions')}
                  </Text>
                ) : null}
              </Stack>
            </Card>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t('dossier.forms')}
              </Title>
              <Stack gap={4}>
                {d.forms.map((no) => (
                  <Anchor key={no} href={`/api/dossiers/${d.id}/forms/${no}.pdf`} target="_blank" size="sm">
                    {t('intake.printForm', { form: no })} — {t(`forms.f${no as '01'}`)}
                  </Anchor>
                ))}
              </Stack>
            </Card>
            <DossierMessages id={d.id} version={d.version} />
            {results.length > 0 ? (
              <Card withBorder>
                <Title order={2} size="h4" mb="xs">
                  {t('dossier.result')}
                </Title>
                <Anchor href={`/api/dossiers/${d.id}/result.pdf`} target="_blank" size="sm">
                  {t('dossier.downloadResult')}
                </Anchor>
              </Card>
            ) : null}
          </Stack>
        </Grid.Col>
      </Grid>
      {action ? (
        <ActionDialog
          dossier={d}
          action={action}
          onClose={(ok) => {
            if (ok) setDone(t('dossier.done', { action: t(`actions.${action}`) }));
            setAction(null);
          }}
        />
      ) : null}
      {signing ? (
        <SignDialog
          dossier={d}
          onClose={(ok) => {
            if (ok) setDone(t('dossier.signDone'));
            setSigning(false);
          }}
        />
      ) : null}
    </Stack>
  );
}
