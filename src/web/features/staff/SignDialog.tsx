import {
  Button,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  PasswordInput,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  RESULT_TEMPLATES,
  type ResultTemplate,
  SignResultInput,
} from '../../../core/documents/result-details.ts';
import { ApiError, newIdempotencyKey } from '../../api/client.ts';
import { signResult } from '../../api/documents.ts';
import type { DossierView } from '../../api/staff.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { fieldErrors } from '../../components/zod-errors.ts';

type Kind = 'text' | 'date' | 'sex' | 'number' | 'textarea' | 'lines';
const DETAIL_FIELDS: Record<ResultTemplate, [string, Kind][]> = {
  birth_extract: [
    ['childName', 'text'],
    ['childDateOfBirth', 'date'],
    ['childSex', 'sex'],
    ['placeOfBirth', 'text'],
    ['ethnicity', 'text'],
    ['nationality', 'text'],
    ['motherName', 'text'],
    ['fatherName', 'text'],
  ],
  business_household_certificate: [
    ['businessName', 'text'],
    ['businessAddress', 'text'],
    ['sectors', 'textarea'],
    ['capitalVnd', 'number'],
  ],
  residence_confirmation: [
    ['content', 'textarea'],
    ['residenceAddress', 'text'],
  ],
  decision: [
    ['subject', 'text'],
    ['articles', 'lines'],
  ],
  certified_copy: [
    ['originalName', 'text'],
    ['copies', 'number'],
  ],
  generic: [['content', 'textarea']],
};
const DEFAULTS: Partial<Record<ResultTemplate, Record<string, string>>> = {
  birth_extract: { ethnicity: 'Kinh', nationality: 'Việt Nam', childSex: 'nam' },
  certified_copy: { copies: '1' },
};

function toDetails(template: ResultTemplate, values: Record<string, string>) {
  const details: Record<string, unknown> = {};
  for (const [name, kind] of DETAIL_FIELDS[template]) {
    const raw = values[name]?.trim();
    if (!raw) continue;
    if (kind === 'number') details[name] = Number(raw.replace(/\./g, ''));
    else if (kind === 'lines')
      details[name] = raw
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    else details[name] = raw;
  }
  return details;
}

/** The last-step officer signs the result with the certificate's PIN; the commune's seal follows. */
export function SignDialog({ dossier, onClose }: { dossier: DossierView; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const template = dossier.resultTemplate;
  const [values, setValues] = useState<Record<string, string>>(DEFAULTS[template] ?? {});
  const [pin, setPin] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const key = useRef(newIdempotencyKey());
  const details = toDetails(template, values);
  const errors = {
    ...fieldErrors(SignResultInput, { pin, details }),
    ...Object.fromEntries(
      Object.entries(fieldErrors(RESULT_TEMPLATES[template], details)).map(([k, v]) => [`details.${k}`, v]),
    ),
  };
  const mutation = useMutation({
    mutationFn: () => signResult(dossier.id, { pin, details, version: dossier.version }, key.current),
    // The dialog closes on the dossier as it now is: the notice never stands beside the old status.
    onSuccess: async () => {
      void client.invalidateQueries({ queryKey: ['dossiers'] });
      await Promise.all([
        client.invalidateQueries({ queryKey: ['dossier', dossier.id] }),
        client.invalidateQueries({ queryKey: ['documents', dossier.id] }),
      ]);
      onClose(true);
    },
  });
  const server = mutation.error instanceof ApiError ? mutation.error : null;
  const show = (name: string) => (submitted ? errors[name] : undefined) ?? server?.fields[name];
  return (
    <Modal opened onClose={() => onClose(false)} title={t('dossier.sign')} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          if (Object.keys(errors).length === 0) mutation.mutate();
        }}
      >
        <Stack>
          {mutation.error ? <ErrorNotice error={mutation.error} onRetry={() => mutation.mutate()} /> : null}
          {DETAIL_FIELDS[template].map(([name, kind]) => {
            const props = {
              label: t(`resultFields.${name}` as 'resultFields.content'),
              error: show(`details.${name}`),
              value: values[name] ?? '',
            };
            const set = (v: string) => setValues((s) => ({ ...s, [name]: v }));
            if (kind === 'textarea' || kind === 'lines')
              return (
                <Textarea
                  key={name}
                  {...props}
                  autosize
                  minRows={kind === 'lines' ? 3 : 2}
                  onChange={(e) => set(e.currentTarget.value)}
                />
              );
            if (kind === 'sex')
              return (
                <NativeSelect
                  key={name}
                  {...props}
                  data={[
                    { value: 'nam', label: t('resultFields.male') },
                    { value: 'nữ', label: t('resultFields.female') },
                  ]}
                  onChange={(e) => set(e.currentTarget.value)}
                />
              );
            if (kind === 'number')
              return (
                <NumberInput
                  key={name}
                  {...props}
                  thousandSeparator="."
                  decimalSeparator=","
                  allowNegative={false}
                  onChange={(v) => set(String(v))}
                />
              );
            return (
              <TextInput
                key={name}
                {...props}
                type={kind === 'date' ? 'date' : 'text'}
                onChange={(e) => set(e.currentTarget.value)}
              />
            );
          })}
          <PasswordInput
            label={t('dossier.signPin')}
            required
            autoComplete="off"
            value={pin}
            error={show('pin')}
            onChange={(e) => setPin(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose(false)}>
              {t('dossier.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('dossier.sign')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
