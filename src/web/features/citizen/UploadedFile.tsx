import { Button, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DraftFile } from '../../api/citizen.ts';

/** A paper already on the server: its name, pages and size, and (in a draft) a button to take it away. */
export function UploadedFile({
  file,
  onRemove,
  removing = false,
}: {
  file: Pick<DraftFile, 'name' | 'pages' | 'sizeBytes'>;
  onRemove?: () => void;
  removing?: boolean;
}) {
  const { t } = useTranslation();
  const details = [
    file.pages ? t('citizen.upload.pages', { count: file.pages }) : null,
    file.sizeBytes > 0 ? `${Math.max(1, Math.round(file.sizeBytes / 1024))} KB` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Paper withBorder p="xs" bg="teal.0">
      <Stack gap={6} align="flex-start">
        <Text size="sm" fw={600}>
          ✓ {t('citizen.upload.uploaded')}
        </Text>
        <Text size="sm" className="wrap-anywhere">
          {file.name}
          {details ? ` (${details})` : ''}
        </Text>
        {onRemove ? (
          <Button
            size="sm"
            variant="default"
            onClick={onRemove}
            loading={removing}
            aria-label={t('citizen.upload.removeNamed', { name: file.name })}
          >
            {t('citizen.upload.remove')}
          </Button>
        ) : null}
      </Stack>
    </Paper>
  );
}
