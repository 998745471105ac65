import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  askStoreConsent,
  type ConsentStatus,
  confirmStoreConsent,
  getStoreConsent,
} from '../../api/documents.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../components/format.ts';

export type { ConsentStatus };

export const consentKey = (dossierId: number) => ['store-consent', dossierId];

/** Where the applicant's consent for this dossier stands (polled while a portal request waits). */
export function useStoreConsent(dossierId: number, enabled: boolean) {
  return useQuery({
    queryKey: consentKey(dossierId),
    queryFn: () => getStoreConsent(dossierId),
    enabled,
    refetchInterval: (q) => (q.state.data?.pending?.channel === 'portal' ? 3000 : false),
  });
}

/**
 * "Xin phép công dân": a code to the phone VNeID vouches for, typed back here; or a request the citizen
 * approves in their portal session. In the demo the development sender shows the code, labelled.
 */
export function StoreConsentPanel({ dossierId, status }: { dossierId: number; status: ConsentStatus }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState('');
  const [demoCode, setDemoCode] = useState<string | null>(null);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: consentKey(dossierId) });
    void client.invalidateQueries({ queryKey: ['store', dossierId] });
  };
  const ask = useMutation({
    mutationFn: (channel: 'sms' | 'portal') => askStoreConsent(dossierId, channel),
    onSuccess: (answer) => {
      setDemoCode(answer.demoCode);
      setCode('');
      refresh();
    },
  });
  const confirm = useMutation({
    mutationFn: () => confirmStoreConsent(dossierId, code),
    onSuccess: refresh,
  });
  const pending = status.pending;
  return (
    <Stack gap="xs" data-testid="store-consent">
      <Text size="sm">{t('consent.needed')}</Text>
      {!open && !pending ? (
        <Group>
          <Button size="xs" onClick={() => setOpen(true)}>
            {t('consent.ask')}
          </Button>
        </Group>
      ) : null}
      {open || pending ? (
        <Group gap="sm">
          <Button size="xs" variant="light" loading={ask.isPending} onClick={() => ask.mutate('sms')}>
            {t('consent.sendCode')}
          </Button>
          <Button size="xs" variant="default" loading={ask.isPending} onClick={() => ask.mutate('portal')}>
            {t('consent.sendPortal')}
          </Button>
        </Group>
      ) : null}
      {ask.error ? <ErrorNotice error={ask.error} /> : null}
      {pending?.channel === 'sms' ? (
        <Stack gap={6}>
          <Text size="sm" role="status">
            {t('consent.sent', {
              phone: pending.sentTo ?? '',
              time: formatDateTime(pending.answerBy, i18n.language),
            })}
          </Text>
          {demoCode ? (
            <Alert color="yellow" title={t('consent.demoCode', { code: demoCode })} data-testid="demo-code" />
          ) : null}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (code.length === 6) confirm.mutate();
            }}
          >
            <Group gap="sm" align="end">
              <TextInput
                label={t('consent.code')}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                w={180}
                data-testid="consent-code"
              />
              <Button type="submit" size="sm" loading={confirm.isPending} disabled={code.length !== 6}>
                {t('consent.confirm')}
              </Button>
            </Group>
          </form>
          {confirm.error ? <ErrorNotice error={confirm.error} /> : null}
        </Stack>
      ) : null}
      {pending?.channel === 'portal' ? (
        <Text size="sm" role="status">
          {t('consent.waitingPortal', { time: formatDateTime(pending.answerBy, i18n.language) })}
        </Text>
      ) : null}
    </Stack>
  );
}
