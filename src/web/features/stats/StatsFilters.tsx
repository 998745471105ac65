import { Button, Group, NativeSelect } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROCEDURE_FIELDS } from '../../../core/catalog/procedure.schemas.ts';
import type { StatsParams } from '../../api/stats.ts';
import { VnDateInput } from '../../components/VnDateInput.tsx';
import { PERIOD_PRESETS, type PeriodPreset, presetOf, presetPeriod } from './period.ts';

/**
 * The period (a preset or a range typed day first), and for staff the channel and the field: every
 * choice goes to the URL through `set`.
 */
export function StatsFilters({
  stats,
  set,
  withFilters = true,
}: {
  stats: StatsParams;
  set: (changes: Record<string, string>) => void;
  withFilters?: boolean;
}) {
  const { t } = useTranslation();
  const current = presetOf(stats);
  const [custom, setCustom] = useState(current === 'custom');
  const [from, setFrom] = useState(stats.from);
  const [to, setTo] = useState(stats.to);
  const mode = custom ? 'custom' : current;
  const rangeError = from && to && from > to ? t('stats.rangeInvalid') : undefined;

  return (
    <Group align="flex-start" wrap="wrap" role="search" aria-label={t('stats.filters')} className="no-print">
      <NativeSelect
        label={t('stats.period')}
        value={mode}
        onChange={(e) => {
          const value = e.currentTarget.value as PeriodPreset | 'custom';
          if (value === 'custom') {
            setFrom(stats.from);
            setTo(stats.to);
            setCustom(true);
            return;
          }
          setCustom(false);
          set(presetPeriod(value));
        }}
        data={[...PERIOD_PRESETS, 'custom' as const].map((p) => ({
          value: p,
          label: t(`stats.presets.${p}`),
        }))}
      />
      {mode === 'custom' ? (
        <Group align="flex-end" wrap="wrap" gap="sm">
          <VnDateInput label={t('stats.from')} value={from} error={undefined} onChange={setFrom} />
          <VnDateInput label={t('stats.to')} value={to} error={rangeError} onChange={setTo} />
          <Button disabled={!from || !to || Boolean(rangeError)} onClick={() => set({ from, to })}>
            {t('stats.apply')}
          </Button>
        </Group>
      ) : null}
      {withFilters ? (
        <>
          <NativeSelect
            label={t('stats.channel')}
            value={stats.channel ?? ''}
            onChange={(e) => set({ channel: e.currentTarget.value })}
            data={[
              { value: '', label: t('stats.allChannels') },
              { value: 'counter', label: t('channel.counter') },
              { value: 'online', label: t('channel.online') },
              { value: 'postal', label: t('channel.postal') },
            ]}
          />
          <NativeSelect
            label={t('stats.field')}
            value={stats.field ?? ''}
            onChange={(e) => set({ field: e.currentTarget.value })}
            data={[
              { value: '', label: t('stats.allFields') },
              ...Object.keys(PROCEDURE_FIELDS).map((f) => ({
                value: f,
                label: t(`fields.${f as keyof typeof PROCEDURE_FIELDS}`),
              })),
            ]}
          />
        </>
      ) : null}
    </Group>
  );
}
