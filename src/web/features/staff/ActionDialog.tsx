import {
  Alert,
  Button,
  Group,
  Modal,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTION_DIALOGS, actionBody, type DossierAction } from '../../../core/dossiers/dossier-actions.ts';
import { ApiError, newIdempotencyKey } from '../../api/client.ts';
import { actOnDossier, type DossierView, listColleagues } from '../../api/staff.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { fieldErrors } from '../../components/zod-errors.ts';
import { type FieldSpec, toActionBody } from './action-fields.ts';

type Values = Record<string, string | string[]>;

/** One action on a dossier: its fields, checked as typed with the server's schema, sent once. */
export function ActionDialog({
  dossier,
  action,
  onClose,
}: {
  dossier: DossierView;
  action: DossierAction;
  onClose: (done: boolean) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const fields = ACTION_DIALOGS[action];
  const [values, setValues] = useState<Values>(action === 'return-result' ? { method: 'counter' } : {});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  // One key per intended action: a retry after a dropped answer is the same action, never a second.
  const key = useRef(newIdempotencyKey());
  const schema = useMemo(() => actionBody(action), [action]);
  const body = toActionBody(fields, values);
  const errors = fieldErrors(schema, body);
  const mutation = useMutation({
    mutationFn: () => actOnDossier(dossier.id, action, { ...body, version: dossier.version }, key.current),
    onSuccess: (view) => {
      client.setQueryData(['dossier', dossier.id], view);
      void client.invalidateQueries({ queryKey: ['dossiers'] });
      onClose(true);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
        void client.invalidateQueries({ queryKey: ['dossier', dossier.id] });
      }
    },
  });
  const server = mutation.error instanceof ApiError ? mutation.error : null;
  const show = (name: string) =>
    (submitted || touched.has(name) ? errors[name] : undefined) ?? server?.fields[name];
  const set = (name: string, value: string | string[]) => setValues((v) => ({ ...v, [name]: value }));
  const leave = (name: string) => setTouched((s) => new Set(s).add(name));
  const submit = () => {
    setSubmitted(true);
    if (Object.keys(errors).length === 0) mutation.mutate();
  };
  return (
    <Modal opened onClose={() => onClose(false)} title={t(`actions.${action}`)} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack>
          {server?.code === 'VERSION_CONFLICT' ? (
            <Alert color="yellow">{t('dossier.conflict')}</Alert>
          ) : mutation.error ? (
            <ErrorNotice error={mutation.error} onRetry={() => mutation.mutate()} />
          ) : null}
          {fields.map((f) => (
            <Field
              key={f.name}
              spec={f}
              dossier={dossier}
              value={values[f.name]}
              error={show(f.name)}
              onChange={(v) => set(f.name, v)}
              onBlur={() => leave(f.name)}
            />
          ))}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose(false)}>
              {t('dossier.cancel')}
            </Button>
            <Button
              type="submit"
              loading={mutation.isPending}
              data-autofocus={fields.length === 0 || undefined}
            >
              {t(`actions.${action}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Field({
  spec,
  dossier,
  value,
  error,
  onChange,
  onBlur,
}: {
  spec: FieldSpec;
  dossier: DossierView;
  value: string | string[] | undefined;
  error: string | undefined;
  onChange: (value: string | string[]) => void;
  onBlur: () => void;
}) {
  const { t } = useTranslation();
  const label = t(spec.label as 'dossier.note');
  const text = typeof value === 'string' ? value : '';
  const common = { label, error, onBlur };
  switch (spec.kind) {
    case 'note':
      return (
        <Textarea
          {...common}
          autosize
          minRows={2}
          value={text}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'reasons':
      return (
        <Textarea
          {...common}
          required
          autosize
          minRows={3}
          value={text}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'components':
      return (
        <MultiSelect
          {...common}
          data={dossier.components.map((c) => ({ value: c.key, label: c.name }))}
          value={Array.isArray(value) ? value : []}
          onChange={onChange}
          searchable
        />
      );
    case 'date':
      return (
        <TextInput {...common} type="date" value={text} onChange={(e) => onChange(e.currentTarget.value)} />
      );
    case 'datetime':
      return (
        <TextInput
          {...common}
          required
          type="datetime-local"
          value={text}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'assignee':
    case 'assigneeOptional':
      return (
        <AssigneeSelect
          {...common}
          unit={dossier.units.competent}
          required={spec.kind === 'assignee'}
          value={text}
          onChange={onChange}
        />
      );
    case 'amount':
    case 'days':
      return (
        <NumberInput
          {...common}
          required={spec.kind === 'amount'}
          thousandSeparator="."
          decimalSeparator=","
          allowNegative={false}
          value={text}
          onChange={(v) => onChange(String(v))}
        />
      );
    case 'method':
      return (
        <NativeSelect
          {...common}
          value={text}
          onChange={(e) => onChange(e.currentTarget.value)}
          data={[
            { value: 'counter', label: t('dossier.methodCounter') },
            { value: 'post', label: t('dossier.methodPost') },
            { value: 'electronic', label: t('dossier.methodElectronic') },
          ]}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          required={spec.kind !== 'text' || spec.name !== 'receiptNo'}
          value={text}
          onChange={(e) => onChange(e.currentTarget.value)}
          autoComplete={spec.kind === 'recipient' ? 'name' : 'off'}
        />
      );
  }
}

/** The competent commune's officers: it decides the dossier, whichever commune received it. */
function AssigneeSelect({
  unit,
  label,
  error,
  onBlur,
  required,
  value,
  onChange,
}: {
  unit: string;
  label: string;
  error: string | undefined;
  onBlur: () => void;
  required: boolean;
  value: string;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const colleagues = useQuery({
    queryKey: ['colleagues', unit],
    queryFn: () => listColleagues('', unit),
  });
  return (
    <NativeSelect
      label={label}
      error={error ?? (colleagues.error ? t('errors.network') : undefined)}
      onBlur={onBlur}
      required={required}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={[
        { value: '', label: '—' },
        ...(colleagues.data?.items ?? []).map((c) => ({
          value: String(c.id),
          label: `${c.fullName} (${c.roleName})`,
        })),
      ]}
    />
  );
}
