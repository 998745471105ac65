import { Group, NativeSelect, Switch } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage, LANGUAGES, type Language } from '../i18n/index.ts';
import { applyLargeText, savedLargeText } from './preferences.ts';

/** Language and larger text, on every face. */
export function Preferences() {
  const { t, i18n } = useTranslation();
  const [large, setLarge] = useState(savedLargeText);
  return (
    <Group gap="sm" wrap="nowrap">
      <NativeSelect
        aria-label={t('app.language')}
        size="xs"
        value={i18n.language}
        data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
        onChange={(e) => void changeLanguage(e.currentTarget.value as Language)}
      />
      <Switch
        size="sm"
        label={t('app.largeText')}
        checked={large}
        onChange={(e) => {
          const on = e.currentTarget.checked;
          setLarge(on);
          applyLargeText(on);
        }}
      />
    </Group>
  );
}
