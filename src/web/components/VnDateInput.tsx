import { TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseVnDate, toVnDate } from './vn-date.ts';

/**
 * A date typed the Vietnamese way, day first, whatever the browser's locale (a native date field may show
 * month first and save the wrong day without a word). The day is read back in words beside it.
 */
export function VnDateInput({
  label,
  value,
  error,
  required,
  onChange,
  onBlur,
}: {
  label: string;
  /** YYYY-MM-DD, or '' while nothing valid is typed. */
  value: string;
  error: string | undefined;
  required?: boolean;
  onChange: (iso: string) => void;
  onBlur?: () => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => toVnDate(value));
  const [left, setLeft] = useState(false);
  const parsed = parseVnDate(text);
  // A value set from outside (a known citizen's details, a cleared form) shows in the box too.
  useEffect(() => {
    if (value !== (parsed ?? '') && (value !== '' || parsed !== null)) setText(toVnDate(value));
  }, [value, parsed]);
  const words = parsed
    ? t('date.inWords', {
        day: Number(parsed.slice(8)),
        month: Number(parsed.slice(5, 7)),
        year: parsed.slice(0, 4),
      })
    : t('date.hint');
  const own =
    text.trim() === '' ? (error ? t('date.required') : undefined) : parsed ? undefined : t('date.invalid');
  return (
    <TextInput
      label={label}
      required={required}
      inputMode="numeric"
      placeholder={t('date.placeholder')}
      autoComplete="off"
      value={text}
      description={words}
      error={(left || error) && own ? own : parsed ? error : undefined}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        onChange(parseVnDate(next) ?? '');
      }}
      onBlur={() => {
        setLeft(true);
        onBlur?.();
      }}
    />
  );
}
