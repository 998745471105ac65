import { Button, FileButton, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const PHOTO = 'image/jpeg,image/png';
const ANY = 'application/pdf,image/jpeg,image/png';

/**
 * Two big buttons for one paper: take a photo with the phone's camera, or choose photos or a PDF already
 * on the phone (several photos make one file of several pages). `name` tells the buttons apart for
 * screen readers when a page has many papers.
 */
export function FilePicker({
  name,
  busy,
  hasFile = false,
  onFiles,
}: {
  name: string;
  busy: boolean;
  hasFile?: boolean;
  onFiles: (files: File[]) => void;
}) {
  const { t } = useTranslation();
  const choose = hasFile ? t('citizen.upload.replace') : t('citizen.upload.choose');
  return (
    <Stack gap={6}>
      <Group gap="sm" grow preventGrowOverflow={false} wrap="wrap">
        <FileButton onChange={(file) => file && onFiles([file])} accept={PHOTO} capture="environment">
          {(props) => (
            <Button
              {...props}
              size="md"
              variant="light"
              disabled={busy}
              aria-label={`${t('citizen.upload.takePhoto')} — ${name}`}
            >
              {t('citizen.upload.takePhoto')}
            </Button>
          )}
        </FileButton>
        <FileButton onChange={(files) => files.length > 0 && onFiles(files)} accept={ANY} multiple>
          {(props) => (
            <Button {...props} size="md" variant="light" disabled={busy} aria-label={`${choose} — ${name}`}>
              {choose}
            </Button>
          )}
        </FileButton>
      </Group>
      {busy ? (
        <Group gap="xs" role="status" aria-live="polite">
          <Loader size="xs" />
          <Text size="sm">{t('citizen.upload.uploading')}</Text>
        </Group>
      ) : null}
    </Stack>
  );
}
