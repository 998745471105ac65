import { Button, Collapse, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProcedureComponent } from '../../../../core/catalog/procedure.schemas.ts';
import type { Draft, DraftFile } from '../../../api/citizen.ts';
import { PaperUpload } from './PaperUpload.tsx';

/** Step 2: one upload per paper the procedure lists; each file goes to the server's draft at once. */
export function PapersStep({
  code,
  components,
  files,
}: {
  code: string;
  components: ProcedureComponent[];
  files: Record<string, DraftFile>;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const required = components.filter((c) => c.requirement === 'required');
  const conditional = components.filter((c) => c.requirement !== 'required');
  // The papers only some cases need stay folded until asked for (or already uploaded): a phone screen
  // shows what everyone must bring first.
  const [showOthers, setShowOthers] = useState(() => conditional.some((c) => files[c.key]));
  const othersId = useId();
  // One upload at a time: the server rewrites the draft's list of files on each.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const serial = <T,>(work: () => Promise<T>) => {
    const next = queue.current.then(work, work);
    queue.current = next.catch(() => undefined);
    return next;
  };
  const setFile = (key: string, file: DraftFile | null) =>
    queryClient.setQueryData<Draft>(['citizen-draft', code], (d) => {
      if (!d) return d;
      const { [key]: _old, ...rest } = d.files;
      return { ...d, files: file ? { ...rest, [key]: file } : rest };
    });
  return (
    <Stack gap="sm">
      <Text>{t('citizen.submit.papersLead')}</Text>
      <Text size="sm" c="dimmed">
        {t('citizen.upload.hint')}
      </Text>
      {required.map((c) => (
        <PaperUpload
          key={c.key}
          code={code}
          component={c}
          file={files[c.key] ?? null}
          serial={serial}
          onChange={(file) => setFile(c.key, file)}
        />
      ))}
      {conditional.length > 0 ? (
        <>
          <Button
            variant="default"
            size="md"
            h="auto"
            py="xs"
            styles={{ label: { whiteSpace: 'normal', textAlign: 'center' } }}
            aria-expanded={showOthers}
            aria-controls={othersId}
            onClick={() => setShowOthers((v) => !v)}
          >
            {showOthers
              ? t('citizen.submit.hideOthers')
              : t('citizen.submit.showOthers', { count: conditional.length })}
          </Button>
          <Collapse expanded={showOthers} id={othersId}>
            <Stack gap="sm">
              {conditional.map((c) => (
                <PaperUpload
                  key={c.key}
                  code={code}
                  component={c}
                  file={files[c.key] ?? null}
                  serial={serial}
                  onChange={(file) => setFile(c.key, file)}
                />
              ))}
            </Stack>
          </Collapse>
        </>
      ) : null}
    </Stack>
  );
}
