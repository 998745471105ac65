import { useCallback, useEffect, useRef, useState } from 'react';
import { saveDraft } from '../../../api/citizen.ts';
import { keepLocal, markSynced, type OnlineDraft } from './online-draft.ts';

export type SyncState = 'idle' | 'saving' | 'saved' | 'failed';

const DEBOUNCE_MS = 800;
const RETRY_MS = 10_000;

/**
 * Keeps the server's draft in step with what is typed: ~800 ms after the last keystroke, at once on
 * `flush` (a step change, before submitting), again every few seconds while the link is down. Saves go
 * one at a time, so an older save never lands after a newer one. `enabled` false stops all saving (a
 * submitted draft must not come back).
 */
export function useDraftSync(code: string, storeKey: string, draft: OnlineDraft, enabled: boolean) {
  const [state, setState] = useState<SyncState>('idle');
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lastSaved = useRef(JSON.stringify(draft));
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const live = useRef(enabled);
  live.current = enabled;

  const flush = useCallback(
    (data: OnlineDraft) => {
      const run = async () => {
        const json = JSON.stringify(data);
        if (!live.current || json === lastSaved.current) return;
        setState('saving');
        try {
          await saveDraft(code, data);
          lastSaved.current = json;
          markSynced(storeKey, json);
          setState('saved');
          setSavedAt(new Date());
          setError(null);
        } catch (failure) {
          setState('failed');
          setError(failure);
          throw failure;
        }
      };
      const next = queue.current.then(run, run);
      queue.current = next.catch(() => undefined);
      return next;
    },
    [code, storeKey],
  );

  const json = JSON.stringify(draft);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the JSON stands for the draft (same content, no save)
  useEffect(() => {
    if (!enabled || json === lastSaved.current) return;
    keepLocal(storeKey, draft, false);
    const timer = setTimeout(() => void flush(draft).catch(() => undefined), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [json, enabled, storeKey, flush]);

  // The link came back, or a few seconds passed: try the failed save again.
  useEffect(() => {
    if (!enabled || state !== 'failed') return;
    const retry = () => void flush(draft).catch(() => undefined);
    const timer = setTimeout(retry, RETRY_MS);
    window.addEventListener('online', retry);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('online', retry);
    };
  }, [state, enabled, draft, flush]);

  return { state, savedAt, error, flush };
}
