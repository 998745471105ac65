import {
  Alert,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  NumberInput,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { feesOf } from '../../../core/catalog/fees.ts';
import { IntakeInput } from '../../../core/dossiers/dossier-inputs.ts';
import { addressText } from '../../../core/dossiers/dossier-views.schemas.ts';
import { getProcedure } from '../../api/catalog.ts';
import { ApiError } from '../../api/client.ts';
import { createDossier, getDossier, type IntakeAnswer, listDossiers, type Me } from '../../api/staff.ts';
import { AddressField } from '../../components/AddressField.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatVnd } from '../../components/format.ts';
import { VnDateInput } from '../../components/VnDateInput.tsx';
import { fieldErrors } from '../../components/zod-errors.ts';
import { AssistedCard } from './AssistedCard.tsx';
import { IntakeDone } from './IntakeDone.tsx';
import {
  clearDraft,
  emptyDraft,
  type IntakeDraft,
  loadDraft,
  saveDraft,
  toIntakeInput,
} from './intake-draft.ts';
import { ProcedurePicker } from './ProcedurePicker.tsx';

type Outcome = 'receive' | 'request-supplement' | 'refuse';
type Done = Outcome | 'assisted';

/** The counter: a dossier received in a minute, keyboard only, with the receipt printed in one click. */
export default function IntakePage() {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<IntakeDraft>(loadDraft);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [done, setDone] = useState<{ answer: IntakeAnswer; outcome: Done } | null>(null);
  const [lookupNote, setLookupNote] = useState<string | null>(null);
  useEffect(() => saveDraft(draft), [draft]);
  // A support volunteer only ever files online for the citizen in front of them.
  const volunteer = useQueryClient().getQueryData<Me>(['me'])?.user.role === 'support_volunteer';
  useEffect(() => {
    if (volunteer && !draft.assisted) setDraft((d) => ({ ...d, assisted: true }));
  }, [volunteer, draft.assisted]);

  const procedure = useQuery({
    queryKey: ['procedure', draft.procedureCode],
    queryFn: () => getProcedure(draft.procedureCode),
    enabled: draft.procedureCode !== '',
  });
  const def = procedure.data?.procedure;
  const feesTotal = def ? feesOf(def, 0).totalVnd : 0;

  const set = <K extends keyof IntakeDraft>(key: K, value: IntakeDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const leave = (name: string) => setTouched((s) => new Set(s).add(name));

  const errors = fieldErrors(IntakeInput, toIntakeInput(draft));
  if (!draft.procedureCode) errors.procedureCode = t('intake.chooseProcedure');
  const show = (name: string) =>
    (submitted || touched.has(name) ? errors[name] : undefined) ?? serverFields[name];
  const missing = def
    ? def.components.filter((c) => c.requirement === 'required' && !draft.components.includes(c.key))
    : [];

  const [attempt, setAttempt] = useState<Outcome | null>(null);
  const mutation = useMutation({
    mutationFn: ({ outcome, sent }: { outcome: Outcome; sent: IntakeDraft }) =>
      createDossier(
        toIntakeInput(sent, outcome === 'receive' ? undefined : outcome) as IntakeInput,
        sent.idempotencyKey,
      ).then((answer) => ({ answer, outcome: (sent.assisted ? 'assisted' : outcome) as Done })),
    onSuccess: (result) => {
      clearDraft();
      setDone(result);
    },
  });
  const serverError = mutation.error instanceof ApiError ? mutation.error : null;
  const serverFields: Record<string, string> = {};
  for (const [k, v] of Object.entries(serverError?.fields ?? {})) serverFields[k.replace(/^body\./, '')] = v;

  // Reads the applicant from their latest dossier here, when the officer types a known citizen ID.
  const lookup = useMutation({
    mutationFn: async (citizenId: string) => {
      const list = await listDossiers({ view: 'all', q: citizenId, sort: '-submittedAt', pageSize: 1 });
      const first = list.items[0];
      return first ? (await getDossier(first.id)).applicant : null;
    },
    onSuccess: (applicant) => {
      if (!applicant) {
        setLookupNote(t('intake.notFoundCitizen'));
        return;
      }
      setDraft((d) => ({
        ...d,
        fullName: d.fullName || applicant.fullName,
        dateOfBirth: d.dateOfBirth || (applicant.dateOfBirth ?? ''),
        phone: d.phone || (applicant.phone ?? ''),
        email: d.email || (applicant.email ?? ''),
        address: d.address || addressText(applicant.address),
        addressCommuneCode:
          d.addressCommuneCode ||
          (typeof applicant.address === 'object' ? applicant.address.communeCode : ''),
      }));
      setLookupNote(t('intake.found', { name: applicant.fullName }));
    },
  });

  const submit = (outcome: Outcome) => {
    setSubmitted(true);
    setAttempt(outcome);
    let sent = draft;
    // An incomplete dossier's reasons start from what is missing; the officer may add to them.
    if (outcome === 'request-supplement' && !draft.reasons.trim() && missing.length > 0) {
      sent = { ...draft, reasons: missing.map((c) => `Thiếu: ${c.name}`).join('\n') };
      setDraft(sent);
    }
    if (outcome !== 'receive' && sent.reasons.trim().length < 3) return;
    if (outcome === 'receive' && missing.length > 0) return;
    if (Object.keys(errors).length > 0) return;
    mutation.mutate({ outcome, sent });
  };

  if (done) {
    return (
      <IntakeDone
        answer={done.answer}
        outcome={done.outcome}
        components={def?.components ?? []}
        onNext={() => {
          setDraft(emptyDraft());
          setTouched(new Set());
          setSubmitted(false);
          setLookupNote(null);
          mutation.reset();
          setDone(null);
        }}
      />
    );
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit('receive');
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          submit('receive');
        }
      }}
    >
      <Stack>
        <Group justify="space-between">
          <Title order={1} size="h2">
            {t('intake.heading')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('intake.keyboardHint')}
          </Text>
        </Group>
        {mutation.error ? (
          <ErrorNotice
            error={mutation.error}
            onRetry={() => mutation.variables && mutation.mutate(mutation.variables)}
          />
        ) : null}
        {submitted && Object.keys(errors).length > 0 ? (
          <Alert color="red">{t('errors.validation')}</Alert>
        ) : null}
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack>
              <Card withBorder>
                <ProcedurePicker
                  value={draft.procedureCode}
                  name={draft.procedureName}
                  error={show('procedureCode')}
                  onChange={(code, name) => {
                    setDraft((d) => ({
                      ...d,
                      procedureCode: code,
                      procedureName: name,
                      components: [],
                      feesPaidVnd: '',
                    }));
                    leave('procedureCode');
                  }}
                />
              </Card>
              <Card withBorder>
                <Stack gap="sm">
                  <Title order={2} size="h4">
                    {t('intake.applicant')}
                  </Title>
                  <TextInput
                    label={t('intake.citizenId')}
                    required
                    inputMode="numeric"
                    maxLength={12}
                    value={draft.citizenId}
                    error={show('applicant.citizenId')}
                    onChange={(e) => set('citizenId', e.currentTarget.value.replace(/\D/g, ''))}
                    onBlur={() => {
                      leave('applicant.citizenId');
                      if (/^\d{12}$/.test(draft.citizenId) && !draft.fullName) lookup.mutate(draft.citizenId);
                    }}
                    description={lookupNote ?? undefined}
                  />
                  <Grid>
                    <Grid.Col span={{ base: 12, sm: 8 }}>
                      <TextInput
                        label={t('intake.fullName')}
                        required
                        autoComplete="off"
                        value={draft.fullName}
                        error={show('applicant.fullName')}
                        onChange={(e) => set('fullName', e.currentTarget.value)}
                        onBlur={() => leave('applicant.fullName')}
                      />
                    </Grid.Col>
                    <Grid.Col span={{ base: 12, sm: 4 }}>
                      <VnDateInput
                        label={t('intake.dateOfBirth')}
                        required
                        value={draft.dateOfBirth}
                        error={show('applicant.dateOfBirth')}
                        onChange={(v) => set('dateOfBirth', v)}
                        onBlur={() => leave('applicant.dateOfBirth')}
                      />
                    </Grid.Col>
                    <Grid.Col span={{ base: 12, sm: 6 }}>
                      <TextInput
                        label={t('intake.phone')}
                        type="tel"
                        inputMode="tel"
                        value={draft.phone}
                        error={show('applicant.phone')}
                        onChange={(e) => set('phone', e.currentTarget.value)}
                        onBlur={() => leave('applicant.phone')}
                      />
                    </Grid.Col>
                    <Grid.Col span={{ base: 12, sm: 6 }}>
                      <TextInput
                        label={t('intake.email')}
                        type="email"
                        value={draft.email}
                        error={show('applicant.email')}
                        onChange={(e) => set('email', e.currentTarget.value)}
                        onBlur={() => leave('applicant.email')}
                      />
                    </Grid.Col>
                    <Grid.Col span={12}>
                      <Checkbox
                        label={t('intake.notify')}
                        description={t('intake.notifyHelp')}
                        checked={draft.notify}
                        onChange={(e) => set('notify', e.currentTarget.checked)}
                      />
                    </Grid.Col>
                  </Grid>
                  <AddressField
                    value={draft.address}
                    communeCode={draft.addressCommuneCode}
                    error={show('applicant.address') ?? show('applicant.addressCommuneCode')}
                    onChange={(v) => set('address', v)}
                    onCommune={(code) => set('addressCommuneCode', code)}
                    onBlur={() => leave('applicant.address')}
                  />
                </Stack>
              </Card>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack>
              <Card withBorder>
                <Stack gap="xs">
                  <Title order={2} size="h4">
                    {t('intake.components')}
                  </Title>
                  {!def ? (
                    <Text size="sm" c="dimmed">
                      {t('intake.chooseProcedure')}
                    </Text>
                  ) : (
                    <Checkbox.Group value={draft.components} onChange={(v) => set('components', v)}>
                      <Stack gap="xs">
                        {def.components.map((c) => (
                          <Checkbox
                            key={c.key}
                            value={c.key}
                            label={`${c.name}${c.requirement === 'required' ? ' *' : ''}`}
                            description={c.condition}
                          />
                        ))}
                      </Stack>
                    </Checkbox.Group>
                  )}
                  {submitted && missing.length > 0 ? (
                    <Text size="sm" c="red.8" role="alert">
                      {t('intake.missingRequired', { names: missing.map((c) => c.name).join('; ') })}
                    </Text>
                  ) : null}
                  {def ? (
                    <NumberInput
                      label={t('intake.fees')}
                      description={feesTotal ? formatVnd(feesTotal, i18n.language) : t('catalogue.free')}
                      thousandSeparator="."
                      decimalSeparator=","
                      allowNegative={false}
                      value={draft.feesPaidVnd === '' ? feesTotal || '' : draft.feesPaidVnd}
                      onChange={(v) => set('feesPaidVnd', String(v))}
                      error={show('feesPaidVnd')}
                    />
                  ) : null}
                  <Textarea
                    label={t('dossier.note')}
                    autosize
                    minRows={2}
                    value={draft.note}
                    onChange={(e) => set('note', e.currentTarget.value)}
                    error={show('note')}
                  />
                </Stack>
              </Card>
              <AssistedCard
                volunteer={volunteer}
                assisted={draft.assisted}
                consent={draft.consent}
                note={draft.assistedNote}
                error={show('assisted.consent') ?? serverFields.assisted}
                onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
              />
              <Card withBorder>
                <Stack gap="sm">
                  <Button type="submit" size="md" loading={mutation.isPending && attempt === 'receive'}>
                    {draft.assisted ? t('intake.assisted.submit') : t('intake.receive')}
                  </Button>
                  {draft.assisted ? null : (
                    <>
                      <Textarea
                        label={t('intake.reasons')}
                        description={t('intake.reasonsHint')}
                        autosize
                        minRows={2}
                        value={draft.reasons}
                        error={
                          submitted && attempt !== 'receive' && draft.reasons.trim().length < 3
                            ? t('intake.reasonsRequired')
                            : serverFields['outcome.reasons']
                        }
                        onChange={(e) => set('reasons', e.currentTarget.value)}
                      />
                      <Stack gap="xs">
                        <Button
                          variant="light"
                          color="orange"
                          onClick={() => submit('request-supplement')}
                          loading={mutation.isPending && attempt === 'request-supplement'}
                        >
                          {t('intake.incomplete')}
                        </Button>
                        <Button
                          variant="light"
                          color="red"
                          onClick={() => submit('refuse')}
                          loading={mutation.isPending && attempt === 'refuse'}
                        >
                          {t('intake.refuse')}
                        </Button>
                      </Stack>
                    </>
                  )}
                </Stack>
              </Card>
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </form>
  );
}
