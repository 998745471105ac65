import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { foldVietnamese } from '../../../core/units/unit-names.ts';
import { searchProcedures } from '../../api/catalog.ts';

/** Every typed word, diacritics or not, appears in the name. */
function matches(label: string, search: string) {
  const folded = foldVietnamese(label);
  return foldVietnamese(search)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => folded.includes(word));
}

/** Type part of a procedure's name (no diacritics needed), arrow keys and Enter to pick. */
export function ProcedurePicker({
  value,
  name,
  error,
  onChange,
}: {
  value: string;
  name: string;
  error: string | undefined;
  onChange: (code: string, name: string) => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(name);
  const [debounced] = useDebouncedValue(search, 200);
  const typing = debounced !== name;
  const query = useQuery({
    queryKey: ['procedures', 'pick', typing ? debounced : ''],
    queryFn: ({ signal }) => searchProcedures({ q: typing ? debounced : '', pageSize: 30 }, signal),
  });
  const items = query.data?.items ?? [];
  const data = items.map((p) => ({ value: p.code, label: p.name }));
  if (value && !data.some((d) => d.value === value)) data.unshift({ value, label: name });
  const shown = (option: { value: string; label: string }, typed: string) =>
    typed === name || option.value.startsWith(typed.trim()) || matches(option.label, typed);
  // Enter takes the keyboard-selected line (Mantine). The first line is not always selected yet when the
  // officer presses Enter (seen in the browser journeys: the line shown, none selected, Enter lost, most
  // often while the server's answer redraws the list): then Enter takes the best match shown.
  const pickBest = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    if (document.querySelector('[role="listbox"] [data-combobox-selected]')) return;
    const best = data.find((option) => shown(option, search));
    if (!best || !search.trim()) return;
    event.preventDefault();
    onChange(best.value, best.label);
  };
  return (
    <Select
      label={t('intake.procedure')}
      placeholder={t('intake.procedurePlaceholder')}
      required
      searchable
      // Enter takes the best match: an intake needs no mouse.
      selectFirstOptionOnChange
      data={data}
      value={value || null}
      searchValue={search}
      onSearchChange={setSearch}
      // The list answers each keystroke at once (the server's answer for the words follows), so Enter
      // never picks a stale first line.
      filter={({ options, search: typed }) =>
        options.filter((o) => 'label' in o && shown({ value: o.value, label: o.label }, typed))
      }
      onKeyDown={pickBest}
      nothingFoundMessage={query.isFetching ? t('app.loading') : t('catalogue.none')}
      onChange={(code, option) => onChange(code ?? '', option?.label ?? '')}
      error={error}
      maxDropdownHeight={320}
      comboboxProps={{ withinPortal: true }}
      data-autofocus
      autoFocus
    />
  );
}
