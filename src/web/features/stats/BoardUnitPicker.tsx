import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listProvinces, type StatsUnitRef } from '../../api/stats.ts';

/** The board's unit: the nation, a province from the list, or a commune by its five-digit code. */
export function BoardUnitPicker({
  unit,
  onPick,
}: {
  unit: Pick<StatsUnitRef, 'code' | 'level' | 'provinceCode'> | null;
  onPick: (code: string) => void;
}) {
  const { t } = useTranslation();
  const provinces = useQuery({
    queryKey: ['provinces'],
    queryFn: listProvinces,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [commune, setCommune] = useState(unit?.level === 'commune' ? unit.code : '');
  const [error, setError] = useState<string | undefined>();
  const selected = unit?.level === 'nation' ? 'VN' : (unit?.provinceCode ?? unit?.code ?? 'VN');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const code = commune.trim();
    if (!/^\d{5}$/.test(code)) {
      setError(t('board.communeCodeInvalid'));
      return;
    }
    setError(undefined);
    onPick(code);
  };
  return (
    <Group align="flex-start" wrap="wrap" className="no-print">
      <NativeSelect
        label={t('board.level')}
        value={selected}
        onChange={(e) => onPick(e.currentTarget.value)}
        data={[
          { value: 'VN', label: t('stats.nation') },
          ...(provinces.data?.items ?? []).map((p) => ({ value: p.code, label: p.name })),
          // The unit shown stays in the list while the provinces load.
          ...(provinces.data || selected === 'VN' ? [] : [{ value: selected, label: selected }]),
        ]}
      />
      <form onSubmit={submit} aria-label={t('board.unitPicker')}>
        <Group align="flex-start" gap="xs">
          <TextInput
            label={t('board.communeCode')}
            inputMode="numeric"
            maxLength={5}
            value={commune}
            error={error}
            onChange={(e) => setCommune(e.currentTarget.value)}
          />
          <Button type="submit" mt={25}>
            {t('board.show')}
          </Button>
        </Group>
      </form>
    </Group>
  );
}
