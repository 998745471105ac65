import { Card, Checkbox, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * Filing online for a citizen who is present: a support volunteer always does so, an officer may. The
 * citizen's consent is asked for and kept with the dossier, with who helped.
 */
export function AssistedCard({
  volunteer,
  assisted,
  consent,
  note,
  error,
  onChange,
}: {
  volunteer: boolean;
  assisted: boolean;
  consent: boolean;
  note: string;
  error: string | undefined;
  onChange: (patch: { assisted?: boolean; consent?: boolean; assistedNote?: string }) => void;
}) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('intake.assisted.heading')}
        </Title>
        {volunteer ? (
          <Text size="sm">{t('intake.assisted.volunteer')}</Text>
        ) : (
          <Switch
            label={t('intake.assisted.toggle')}
            checked={assisted}
            onChange={(e) => onChange({ assisted: e.currentTarget.checked })}
          />
        )}
        {assisted ? (
          <>
            <Checkbox
              label={t('intake.assisted.consent')}
              checked={consent}
              error={error}
              onChange={(e) => onChange({ consent: e.currentTarget.checked })}
            />
            <TextInput
              label={t('intake.assisted.note')}
              value={note}
              onChange={(e) => onChange({ assistedNote: e.currentTarget.value })}
            />
          </>
        ) : null}
      </Stack>
    </Card>
  );
}
