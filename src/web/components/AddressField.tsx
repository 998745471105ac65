import { NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NormalizedAddress } from '../../core/units/units.schemas.ts';
import { api, toQuery } from '../api/client.ts';

/**
 * An address as people say it, old unit names and all (at the counter or on the portal); the current
 * commune it falls in is found by the server and shown, or offered as a choice when the old name was split.
 */
export function AddressField({
  value,
  communeCode,
  error,
  label,
  size,
  onChange,
  onCommune,
  onBlur,
}: {
  value: string;
  communeCode: string;
  error: string | undefined;
  label?: string;
  size?: 'sm' | 'md';
  onChange: (value: string) => void;
  onCommune: (code: string) => void;
  onBlur: () => void;
}) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState(value.trim());
  const normalized = useQuery({
    queryKey: ['normalize', asked],
    queryFn: () => api(`/api/units/normalize${toQuery({ address: asked })}`, NormalizedAddress),
    enabled: asked.length >= 3,
  });
  const n = normalized.data;
  return (
    <Stack gap={4}>
      <TextInput
        size={size}
        label={label ?? t('intake.address')}
        description={t('intake.addressHint')}
        required
        value={value}
        error={error}
        autoComplete="off"
        onChange={(e) => {
          onChange(e.currentTarget.value);
          if (communeCode) onCommune('');
        }}
        onBlur={() => {
          setAsked(value.trim());
          onBlur();
        }}
      />
      {n?.status === 'resolved' && n.commune ? (
        <Text size="sm" c="teal.9" aria-live="polite" data-testid="address-commune">
          {t('intake.addressCommune')}: {n.commune.name}, {n.commune.provinceName}
          {n.matchedOld.length > 0 ? ` (${n.matchedOld.map((u) => u.name).join(', ')})` : ''}
        </Text>
      ) : null}
      {n?.status === 'ambiguous' ? (
        <NativeSelect
          size={size}
          label={t('intake.addressCommune')}
          required
          value={communeCode}
          onChange={(e) => onCommune(e.currentTarget.value)}
          data={[
            { value: '', label: '—' },
            ...n.candidates.map((c) => ({ value: c.code, label: `${c.name}, ${c.provinceName}` })),
          ]}
        />
      ) : null}
      {n?.status === 'not_found' ? (
        <Text size="sm" c="orange.9" aria-live="polite">
          {n.reason}
        </Text>
      ) : null}
    </Stack>
  );
}
