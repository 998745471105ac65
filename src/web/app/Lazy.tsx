import { Center, Loader, VisuallyHidden } from '@mantine/core';
import { type ComponentType, type LazyExoticComponent, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader size="sm" />
      <VisuallyHidden>{t('app.loading')}</VisuallyHidden>
    </Center>
  );
}

/** A page in its own chunk, with a quiet loader while the chunk arrives. */
export function Lazy({ page: Page }: { page: LazyExoticComponent<ComponentType> }) {
  return (
    <Suspense fallback={<PageLoader />}>
      <Page />
    </Suspense>
  );
}
