import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProcedureDefinition } from '../../../../core/catalog/procedure.schemas.ts';
import { OnlineSubmission } from '../../../../core/dossiers/dossier-inputs.ts';
import { type CitizenMe, type Draft, submitOnline } from '../../../api/citizen.ts';
import { ApiError } from '../../../api/client.ts';
import { PageLoader } from '../../../app/Lazy.tsx';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import { fieldErrors } from '../../../components/zod-errors.ts';
import { ApplicantStep } from './ApplicantStep.tsx';
import { forgetLocal, localKey, markSubmitting, startingDraft, toOnlineSubmission } from './online-draft.ts';
import { PapersStep } from './PapersStep.tsx';
import { ReviewStep } from './ReviewStep.tsx';
import { type Filed, findFiledDossier } from './recover.ts';
import { SaveState, SessionExpired } from './SaveState.tsx';
import { SubmitDone } from './SubmitDone.tsx';
import { useDraftSync } from './use-draft-sync.ts';
import { STEPS, WizardSteps } from './WizardSteps.tsx';

/** Steps 1–3 of an online submission, saved as a draft on the server as the citizen goes. */
export function Wizard({
  me,
  code,
  procedure,
  server,
}: {
  me: CitizenMe;
  code: string;
  procedure: ProcedureDefinition;
  server: Draft;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const storeKey = localKey(me, code);
  const [start] = useState(() => startingDraft(server, me, code));
  const [draft, setDraft] = useState(start.data);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [tried, setTried] = useState(false);
  const [serverFields, setServerFields] = useState<Record<string, string>>({});
  const [filed, setFiled] = useState<Filed | null>(null);
  const [maybeFiled, setMaybeFiled] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const problem = useRef<HTMLDivElement>(null);

  // A submission left before a reload and the server's draft is gone: find the dossier it made.
  const recovery = useQuery({
    queryKey: ['citizen-recover', code, start.pendingSince],
    queryFn: () => findFiledDossier(code, start.pendingSince ?? ''),
    enabled: start.pendingSince !== null,
    gcTime: 0,
  });
  const recovering = start.pendingSince !== null && recovery.isPending;

  const finish = (answer: Filed) => {
    forgetLocal(storeKey);
    queryClient.removeQueries({ queryKey: ['citizen-draft', code] });
    void queryClient.invalidateQueries({ queryKey: ['citizen-drafts'] });
    void queryClient.invalidateQueries({ queryKey: ['citizen-dossiers'] });
    setFiled(answer);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the search answers
  useEffect(() => {
    if (recovery.data) finish(recovery.data);
  }, [recovery.data]);

  const sentSince = useRef<string | null>(null);
  const submit = useMutation({
    mutationFn: (d: typeof draft) => {
      sentSince.current = markSubmitting(storeKey, d);
      return submitOnline(toOnlineSubmission(code, d) as OnlineSubmission, d.idempotencyKey);
    },
    onSuccess: (answer) => finish(answer),
    onError: async (error) => {
      if (!(error instanceof ApiError)) return;
      const fields = Object.fromEntries(
        Object.entries(error.fields).map(([k, v]) => [k.replace(/^body\./, ''), v]),
      );
      setServerFields(fields);
      if (Object.keys(fields).some((k) => k.startsWith('contact.'))) goTo(1);
      else if (error.code === 'MISSING_COMPONENTS') {
        void queryClient.invalidateQueries({ queryKey: ['citizen-draft', code] });
        goTo(2);
      } else if (error.code === 'IDEMPOTENCY_KEY_REUSED') {
        // This key already filed a dossier: the first answer was lost on the way.
        const since = sentSince.current ?? new Date().toISOString();
        const found = await findFiledDossier(code, since).catch(() => null);
        if (found) finish(found);
        else setMaybeFiled(true);
      }
    },
  });
  const sync = useDraftSync(code, storeKey, draft, !filed && !submit.isPending && !recovering);

  const errors = fieldErrors(OnlineSubmission, toOnlineSubmission(code, draft));
  const show = (name: string) =>
    (tried || touched.has(name) ? errors[name] : undefined) ?? serverFields[name];
  const missing = procedure.components.filter((c) => c.requirement === 'required' && !server.files[c.key]);
  const contactInvalid = Object.keys(errors).some((k) => k.startsWith('contact.'));
  const stepInvalid =
    draft.step === 1
      ? contactInvalid
      : draft.step === 2
        ? missing.length > 0
        : Object.keys(errors).length > 0;

  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    // The server's word on a field stands until the citizen changes that field.
    setServerFields((f) =>
      Object.fromEntries(Object.entries(f).filter(([k]) => k !== key && !k.startsWith(`contact.${key}`))),
    );
  };
  const leave = (name: string) => setTouched((s) => new Set(s).add(name));
  function goTo(step: number, showErrors = false) {
    setTried(showErrors);
    const moved = { ...draft, step };
    setDraft(moved);
    void sync.flush(moved).catch(() => undefined);
    window.scrollTo({ top: 0 });
    setTimeout(() => heading.current?.focus(), 0);
  }
  // What stops the citizen is shown where they are looking: the message comes into view with the focus.
  const showProblem = () => {
    setTried(true);
    setTimeout(() => {
      problem.current?.scrollIntoView({ block: 'center' });
      problem.current?.focus();
    }, 0);
  };
  const next = async () => {
    if (draft.step < 3) {
      if (stepInvalid) showProblem();
      else goTo(draft.step + 1);
      return;
    }
    // On the last step, send the citizen to the step that still needs them.
    if (contactInvalid) return goTo(1, true);
    if (missing.length > 0) return goTo(2, true);
    if (stepInvalid) return showProblem();
    setMaybeFiled(false);
    // The key reaches the server's draft before the dossier is sent (best effort on a weak link).
    await sync.flush(draft).catch(() => undefined);
    submit.mutate(draft);
  };

  if (filed) return <SubmitDone filed={filed} />;
  if (recovering) return <PageLoader />;
  const title = t(`citizen.submit.steps.${STEPS[draft.step] ?? 'applicant'}`);
  return (
    <Stack gap="md">
      <WizardSteps active={draft.step} onBack={goTo} />
      <Title order={2} size="h3" ref={heading} tabIndex={-1}>
        {t('citizen.submit.stepOf', { n: draft.step + 1, total: STEPS.length })}: {title}
      </Title>
      {submit.error ? (
        <ErrorNotice
          error={submit.error}
          onRetry={() => submit.variables && submit.mutate(submit.variables)}
        />
      ) : null}
      {maybeFiled ? <Alert color="orange">{t('citizen.submit.maybeFiled')}</Alert> : null}
      {[submit.error, sync.error].some((e) => e instanceof ApiError && e.status === 401) ? (
        <SessionExpired />
      ) : null}
      {tried && stepInvalid ? (
        <Alert color="red" role="alert" ref={problem} tabIndex={-1}>
          {draft.step === 2
            ? t('citizen.submit.missing', { names: missing.map((c) => c.name).join('; ') })
            : t('errors.validation')}
        </Alert>
      ) : null}
      {draft.step === 1 ? <ApplicantStep me={me} draft={draft} set={set} leave={leave} show={show} /> : null}
      {draft.step === 2 ? (
        <PapersStep code={code} components={procedure.components} files={server.files} />
      ) : null}
      {draft.step === 3 ? (
        <ReviewStep
          me={me}
          draft={draft}
          components={procedure.components}
          files={server.files}
          busy={submit.isPending}
          set={set}
          show={show}
          onEdit={goTo}
        />
      ) : null}
      <Group justify="space-between" gap="sm">
        {draft.step > 1 ? (
          <Button
            size="lg"
            variant="default"
            onClick={() => goTo(draft.step - 1)}
            disabled={submit.isPending}
          >
            {t('citizen.submit.back')}
          </Button>
        ) : (
          <span />
        )}
        <Button size="lg" onClick={() => void next()} loading={submit.isPending}>
          {draft.step < 3 ? t('citizen.submit.next') : t('citizen.submit.send')}
        </Button>
      </Group>
      <SaveState state={sync.state} savedAt={sync.savedAt} />
      <Text size="sm" c="dimmed">
        {t('citizen.submit.draftNote')}
      </Text>
    </Stack>
  );
}
