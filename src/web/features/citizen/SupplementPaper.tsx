import { Paper, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type CitizenDossier, uploadSupplementFile } from '../../api/citizen.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { FilePicker } from './FilePicker.tsx';
import { UploadedFile } from './UploadedFile.tsx';

/** One paper a supplement asks for: send it, and see that it arrived. */
export function SupplementPaper({
  dossierId,
  component,
  uploaded,
  onUploaded,
}: {
  dossierId: number;
  component: CitizenDossier['components'][number];
  uploaded: string | undefined;
  onUploaded: (name: string) => void;
}) {
  const { t } = useTranslation();
  const upload = useMutation({
    mutationFn: (files: File[]) => uploadSupplementFile(dossierId, component.key, files),
    onSuccess: (file) => onUploaded(file.name),
  });
  const file = upload.data ?? (uploaded ? { name: uploaded, pages: null, sizeBytes: 0 } : null);
  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        <Text fw={600}>
          {component.name}
          {component.requirement === 'required' ? ` (${t('citizen.submit.required')})` : ''}
        </Text>
        {file ? <UploadedFile file={file} /> : null}
        <FilePicker
          name={component.name}
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
      </Stack>
    </Paper>
  );
}
