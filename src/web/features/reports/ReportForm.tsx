import { Alert, Button, Group, Loader, NativeSelect, Radio, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Period } from '../../../core/stats/report-periods.ts';
import { ApiError, newIdempotencyKey } from '../../api/client.ts';
import { createReport, REPORT_FORMATS, type ReportFormat, type ReportInput } from '../../api/reports.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { VnDateInput } from '../../components/VnDateInput.tsx';
import { formatSize, REPORT_PRESETS, type ReportPreset, reportPresetPeriod } from './report-periods.ts';
import { usePeriodLabel } from './use-period-label.ts';

/** The period chosen on the page: a preset, or two dates typed day first ('' until a whole date is typed). */
export type PeriodChoice = { preset: ReportPreset | 'custom'; from: string; to: string };

/** The period a choice stands for, or null while the typed dates are missing or out of order. */
export function periodOf(choice: PeriodChoice): Period | null {
  if (choice.preset !== 'custom') return reportPresetPeriod(choice.preset);
  if (!choice.from || !choice.to || choice.from > choice.to) return null;
  return { from: choice.from, to: choice.to };
}

/**
 * Makes a unit's report for a period as XLSX or PDF: the server renders it (a few seconds for a year of a
 * province), the page says so meanwhile, then offers the file. A retry after a dropped answer sends the
 * same idempotency key, so it never makes a second file.
 */
export function ReportForm({
  unit,
  choice,
  onChoice,
}: {
  unit: string;
  choice: PeriodChoice;
  onChoice: (choice: PeriodChoice) => void;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const label = usePeriodLabel();
  const [format, setFormat] = useState<ReportFormat>('xlsx');
  const [submitted, setSubmitted] = useState(false);
  // One key per intended report: kept while the same report is retried, new once it is made or changed.
  const key = useRef<{ key: string; fingerprint: string } | null>(null);
  const make = useMutation({
    mutationFn: (input: ReportInput) => {
      const fingerprint = JSON.stringify(input);
      if (key.current?.fingerprint !== fingerprint) key.current = { key: newIdempotencyKey(), fingerprint };
      return createReport(input, key.current.key);
    },
    onSuccess: () => {
      key.current = null;
      void client.invalidateQueries({ queryKey: ['reports', unit, 'files'] });
    },
  });

  const custom = choice.preset === 'custom';
  const own: Record<string, string> = {};
  if (custom && !choice.from) own.from = t('date.required');
  if (custom && !choice.to) own.to = t('date.required');
  if (custom && choice.from && choice.to && choice.from > choice.to) own.to = t('reports.make.rangeInvalid');
  const server = make.error instanceof ApiError ? make.error : null;
  const serverFields: Record<string, string> = {};
  for (const [k, v] of Object.entries(server?.fields ?? {})) serverFields[k.replace(/^body\./, '')] = v;
  // The range's order shows as typed; a missing date once the form is sent; then the server's word.
  const show = (name: string) =>
    (submitted || (name === 'to' && choice.from && choice.to) ? own[name] : undefined) ?? serverFields[name];

  const change = (next: Partial<PeriodChoice>) => {
    make.reset();
    setSubmitted(false);
    // Choosing to type the dates starts from the period shown until then.
    const start = next.preset === 'custom' && choice.preset !== 'custom' ? periodOf(choice) : null;
    onChoice({ ...choice, ...(start ?? {}), ...next });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    const period = periodOf(choice);
    if (!period || Object.keys(own).length > 0) return;
    make.mutate({ unit, ...period, format });
  };
  const done = make.data;

  return (
    <section aria-labelledby="make-heading">
      <Title order={2} size="h3" id="make-heading" mb="sm">
        {t('reports.make.heading')}
      </Title>
      <form noValidate onSubmit={submit} aria-labelledby="make-heading">
        <Stack gap="sm">
          <Group align="flex-start" wrap="wrap">
            <NativeSelect
              label={t('reports.make.period')}
              value={choice.preset}
              onChange={(e) => change({ preset: e.currentTarget.value as PeriodChoice['preset'] })}
              data={[...REPORT_PRESETS, 'custom' as const].map((p) => ({
                value: p,
                label:
                  p === 'custom'
                    ? t('reports.make.presets.custom')
                    : `${t(`reports.make.presets.${p}`)} (${label(reportPresetPeriod(p))})`,
              }))}
            />
            {custom ? (
              <>
                <VnDateInput
                  label={t('reports.make.from')}
                  value={choice.from}
                  required
                  error={show('from')}
                  onChange={(from) => change({ from })}
                />
                <VnDateInput
                  label={t('reports.make.to')}
                  value={choice.to}
                  required
                  error={show('to')}
                  onChange={(to) => change({ to })}
                />
              </>
            ) : null}
          </Group>
          <Radio.Group
            label={t('reports.make.format')}
            value={format}
            onChange={(value) => {
              make.reset();
              setFormat(value as ReportFormat);
            }}
          >
            <Group mt={4}>
              {REPORT_FORMATS.map((f) => (
                <Radio key={f} value={f} label={t(`reports.make.formatNames.${f}`)} />
              ))}
            </Group>
          </Radio.Group>
          <Group>
            <Button type="submit" loading={make.isPending}>
              {t('reports.make.submit')}
            </Button>
          </Group>
          <div role="status" aria-live="polite">
            {make.isPending && make.variables ? (
              <Group gap="xs">
                <Loader size="sm" aria-hidden />
                <Text size="sm">{t('reports.make.working', { period: label(make.variables) })}</Text>
              </Group>
            ) : null}
            {done ? (
              <Alert color="green" title={t('reports.make.ready', { period: label(done) })}>
                <Button component="a" href={done.url} download={done.fileName} variant="filled" color="green">
                  {t('reports.make.download', {
                    format: t(`reports.formats.${done.format}`),
                    size: formatSize(done.sizeBytes, i18n.language),
                  })}
                </Button>
              </Alert>
            ) : null}
          </div>
          {make.error ? (
            <ErrorNotice
              error={make.error}
              onRetry={() => (make.variables ? make.mutate(make.variables) : undefined)}
            />
          ) : null}
        </Stack>
      </form>
    </section>
  );
}
