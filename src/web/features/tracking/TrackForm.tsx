import { Button, Group, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** The same check as the server's: commune code, date, sequence. */
export const TRACKING_CODE = /^[A-Za-z0-9.]+-\d{6}-\d{4}$/;

/** A code box that opens /track/<code>; it checks the code's shape before asking the server. */
export function TrackForm({ initial = '' }: { initial?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [code, setCode] = useState(initial);
  const [touched, setTouched] = useState(false);
  const clean = code.trim();
  const invalid = touched && clean !== '' && !TRACKING_CODE.test(clean);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!TRACKING_CODE.test(clean)) return;
    navigate(`/track/${encodeURIComponent(clean)}`);
  };
  return (
    <search>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput
            size="md"
            label={t('track.code')}
            description={t('track.codeHint')}
            placeholder={t('track.codePlaceholder')}
            value={code}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            inputMode="text"
            error={invalid || (touched && clean === '') ? t('track.codeInvalid') : undefined}
            onChange={(e) => setCode(e.currentTarget.value)}
            onBlur={() => setTouched(true)}
          />
          <Group>
            <Button type="submit" size="md">
              {t('track.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </search>
  );
}
