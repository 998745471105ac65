import {
  Alert,
  Anchor,
  Button,
  Card,
  FileButton,
  Group,
  NativeSelect,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ProcedureComponent } from '../../../core/catalog/procedure.schemas.ts';
import {
  type DocumentView,
  listApplicantStore,
  reuseStoreDocument,
  uploadComponentFiles,
} from '../../api/documents.ts';
import type { IntakeAnswer } from '../../api/staff.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../components/format.ts';
import { StoreConsentPanel, useStoreConsent } from './StoreConsent.tsx';

const FORM_OF = { receive: '01', 'request-supplement': '02', refuse: '03', assisted: null } as const;

/** After intake: the receipt to print (focused, so Enter prints), the papers to scan, the next dossier. */
export function IntakeDone({
  answer,
  outcome,
  components,
  onNext,
}: {
  answer: IntakeAnswer;
  outcome: keyof typeof FORM_OF;
  components: ProcedureComponent[];
  onNext: () => void;
}) {
  const { t, i18n } = useTranslation();
  const form = FORM_OF[outcome];
  const print = useRef<HTMLAnchorElement>(null);
  useEffect(() => print.current?.focus(), []);
  const scanning = outcome === 'receive' || outcome === 'assisted';
  // The applicant's store opens for this dossier only once they consent.
  const consent = useStoreConsent(answer.id, scanning);
  const granted = consent.data?.grant ?? null;
  const store = useQuery({
    queryKey: ['store', answer.id],
    queryFn: () => listApplicantStore(answer.id, 50),
    enabled: scanning && granted !== null,
  });
  return (
    <Stack maw={760}>
      <Alert
        color={outcome === 'receive' || outcome === 'assisted' ? 'green' : 'orange'}
        role="status"
        title={answer.code}
      >
        {outcome === 'receive'
          ? t('intake.received', { code: answer.code, due: formatDateTime(answer.dueAt, i18n.language) })
          : t(`intake.registered.${outcome}`, { code: answer.code })}
      </Alert>
      <Group>
        {form ? (
          <Button
            component="a"
            ref={print}
            href={`/api/dossiers/${answer.id}/forms/${form}.pdf`}
            target="_blank"
            size="md"
            data-testid="print-form"
          >
            {t('intake.printForm', { form })} — {t(`forms.f${form}`)}
          </Button>
        ) : null}
        <Button variant="default" size="md" onClick={onNext}>
          {t('intake.next')}
        </Button>
        <Anchor component={Link} to={`/staff/dossiers/${answer.id}`}>
          {t('intake.openDossier')}
        </Anchor>
      </Group>
      {outcome === 'receive' || outcome === 'assisted' ? (
        <Card withBorder>
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t('intake.scanHeading')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('intake.scanHint')}
            </Text>
            <Title order={3} size="h5">
              {t('consent.heading')}
            </Title>
            {consent.error ? (
              <ErrorNotice error={consent.error} onRetry={() => void consent.refetch()} />
            ) : null}
            {consent.data && !granted ? (
              <StoreConsentPanel dossierId={answer.id} status={consent.data} />
            ) : null}
            {granted ? (
              <Text size="sm" c="teal.9" role="status">
                {t('consent.granted', { time: formatDateTime(granted.expiresAt, i18n.language) })}
                {store.data && store.data.items.length === 0 ? ` ${t('consent.empty')}` : ''}
              </Text>
            ) : null}
            {store.error ? <ErrorNotice error={store.error} onRetry={() => void store.refetch()} /> : null}
            {components.map((c) => (
              <ComponentFiles
                key={c.key}
                dossierId={answer.id}
                component={c}
                store={store.data?.items ?? []}
              />
            ))}
          </Stack>
        </Card>
      ) : null}
    </Stack>
  );
}

function ComponentFiles({
  dossierId,
  component,
  store,
}: {
  dossierId: number;
  component: ProcedureComponent;
  store: DocumentView[];
}) {
  const { t } = useTranslation();
  const upload = useMutation({
    mutationFn: (files: File[]) => uploadComponentFiles(dossierId, component.key, files),
  });
  const reuse = useMutation({
    mutationFn: (documentId: number) => reuseStoreDocument(dossierId, component.key, documentId),
  });
  const done = upload.data ?? reuse.data;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {component.name}
      </Text>
      <Group gap="sm">
        <FileButton
          onChange={(files) => files.length && upload.mutate(files)}
          accept="application/pdf,image/jpeg,image/png"
          multiple
        >
          {(props) => (
            <Button {...props} size="xs" variant="light" loading={upload.isPending}>
              {t('intake.upload')}
            </Button>
          )}
        </FileButton>
        {store.length > 0 ? (
          <NativeSelect
            size="xs"
            aria-label={t('intake.reuse')}
            value=""
            onChange={(e) => e.currentTarget.value && reuse.mutate(Number(e.currentTarget.value))}
            data={[
              { value: '', label: t('intake.reuse') },
              ...store.map((d) => ({ value: String(d.id), label: d.name })),
            ]}
          />
        ) : null}
        {done ? (
          <Text size="sm" c="teal.9" role="status">
            ✓ {done.name}
          </Text>
        ) : null}
      </Group>
      {upload.error ? <ErrorNotice error={upload.error} /> : null}
      {reuse.error ? <ErrorNotice error={reuse.error} /> : null}
    </Stack>
  );
}
