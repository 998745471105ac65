import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ProcedureComponent } from '../../../../core/catalog/procedure.schemas.ts';
import { type DraftFile, removeDraftFile, uploadDraftFile } from '../../../api/citizen.ts';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import { FilePicker } from '../FilePicker.tsx';
import { UploadedFile } from '../UploadedFile.tsx';

/** One paper of the draft: required or not, its file once sent, a way to send another or remove it. */
export function PaperUpload({
  code,
  component: c,
  file,
  serial,
  onChange,
}: {
  code: string;
  component: ProcedureComponent;
  file: DraftFile | null;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  onChange: (file: DraftFile | null) => void;
}) {
  const { t } = useTranslation();
  const upload = useMutation({
    mutationFn: (files: File[]) => serial(() => uploadDraftFile(code, c.key, files)),
    onSuccess: onChange,
  });
  const remove = useMutation({
    mutationFn: () => serial(() => removeDraftFile(code, c.key)),
    onSuccess: () => onChange(null),
  });
  const required = c.requirement === 'required';
  return (
    <Paper withBorder p="sm" component="section" aria-label={c.name}>
      <Stack gap="xs">
        <Group gap="xs" wrap="nowrap" align="flex-start" justify="space-between">
          <Text fw={600} className="wrap-anywhere">
            {c.name}
            {required ? ' *' : ''}
          </Text>
          <Badge variant="outline" color={required ? 'red' : 'gray'} tt="none" style={{ flexShrink: 0 }}>
            {required ? t('citizen.submit.required') : t('citizen.submit.conditional')}
          </Badge>
        </Group>
        {c.condition ? <Text size="sm">{c.condition}</Text> : null}
        {file ? (
          <UploadedFile file={file} onRemove={() => remove.mutate()} removing={remove.isPending} />
        ) : (
          <Text size="sm" c="dimmed">
            {t('citizen.submit.notUploaded')}
          </Text>
        )}
        <FilePicker
          name={c.name}
          busy={upload.isPending}
          hasFile={file !== null}
          onFiles={(files) => upload.mutate(files)}
        />
        {upload.error ? (
          <ErrorNotice
            error={upload.error}
            onRetry={() => upload.variables && upload.mutate(upload.variables)}
          />
        ) : null}
        {remove.error ? <ErrorNotice error={remove.error} onRetry={() => remove.mutate()} /> : null}
      </Stack>
    </Paper>
  );
}
