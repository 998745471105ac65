import { Anchor, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { getProcedure } from '../../../api/catalog.ts';
import { type CitizenMe, checkEligibility, getDraft } from '../../../api/citizen.ts';
import { ApiError } from '../../../api/client.ts';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import { RequireCitizen } from '../RequireCitizen.tsx';
import { EligibilityRefused } from './EligibilityRefused.tsx';
import { Wizard } from './Wizard.tsx';
import { WizardSteps } from './WizardSteps.tsx';

/** /submit/:code — filing a procedure online: first whether this citizen may, then the wizard. */
export default function SubmitPage() {
  return <RequireCitizen>{(me) => <Submission me={me} />}</RequireCitizen>;
}

const REFUSALS = new Set(['IDENTITY_LEVEL_TOO_LOW', 'PROCEDURE_NOT_ONLINE']);

function Submission({ me }: { me: CitizenMe }) {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const procedure = useQuery({ queryKey: ['procedure', code], queryFn: () => getProcedure(code) });
  const eligibility = useQuery({
    queryKey: ['citizen-eligibility', code],
    queryFn: () => checkEligibility(code),
    staleTime: 0,
  });
  const draft = useQuery({
    queryKey: ['citizen-draft', code],
    queryFn: () => getDraft(code),
    enabled: eligibility.isSuccess,
    staleTime: 0,
    gcTime: 0,
  });
  const refusal =
    eligibility.error instanceof ApiError && REFUSALS.has(eligibility.error.code) ? eligibility.error : null;
  const failed = (refusal ? null : eligibility.error) ?? procedure.error ?? draft.error;
  const ready = procedure.data && eligibility.isSuccess && draft.data;
  return (
    <Stack gap="md" maw={760}>
      <Anchor component={Link} to={`/procedures/${encodeURIComponent(code)}`} size="sm">
        ← {t('citizen.submit.aboutProcedure')}
      </Anchor>
      <Stack gap={4}>
        <Title order={1} size="h2">
          {t('citizen.submit.heading')}
        </Title>
        {procedure.data ? (
          <Text fw={500} className="wrap-anywhere">
            {procedure.data.procedure.name}
          </Text>
        ) : null}
      </Stack>
      {refusal ? (
        <EligibilityRefused code={code} message={refusal.message} />
      ) : failed ? (
        <ErrorNotice
          error={failed}
          onRetry={() => {
            void eligibility.refetch();
            void procedure.refetch();
            if (eligibility.isSuccess) void draft.refetch();
          }}
        />
      ) : ready ? (
        <Wizard key={code} me={me} code={code} procedure={procedure.data.procedure} server={draft.data} />
      ) : (
        <>
          <WizardSteps active={0} />
          <Group gap="sm" role="status" aria-live="polite">
            <Loader size="sm" />
            <Text>{t('citizen.submit.checking')}</Text>
          </Group>
        </>
      )}
    </Stack>
  );
}
