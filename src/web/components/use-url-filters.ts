import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A list's search, filters and page kept in the URL (a reload or a shared link shows the same list).
 * Changing a filter goes back to page 1; the search box moves the URL once typing pauses, and only
 * from `minSearch` characters.
 */
export function useUrlFilters(options: { minSearch?: number; onChange?: () => void } = {}) {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const page = Math.max(1, Number(params.get('page')) || 1);

  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
    options.onChange?.();
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text moves the URL
  useEffect(() => {
    const text = debounced.length >= (options.minSearch ?? 0) ? debounced : '';
    if ((params.get('q') ?? '') !== text) set({ q: text });
  }, [debounced]);

  return {
    params,
    get: (key: string) => params.get(key) ?? '',
    page,
    q: params.get('q') ?? '',
    search,
    setSearch,
    set,
  };
}
