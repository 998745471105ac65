import { Pagination } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The pager under every list: as many pages as the answer's total and page size make, hidden when one
 * page holds all; the arrows and the numbers have names a screen reader says.
 */
export function ListPagination({
  total,
  pageSize,
  page,
  onChange,
  className,
}: {
  total: number;
  pageSize: number;
  page: number;
  onChange: (page: number) => void;
  className?: string;
}) {
  const { t } = useTranslation();
  const pages = Math.ceil(total / pageSize);
  if (pages <= 1) return null;
  return (
    <Pagination
      mt="sm"
      total={pages}
      value={Math.min(page, pages)}
      onChange={onChange}
      {...(className ? { className } : {})}
      getControlProps={(control) => ({
        'aria-label':
          control === 'previous' || control === 'first' ? t('app.previousPage') : t('app.nextPage'),
      })}
      getItemProps={(p) => ({ 'aria-label': t('app.page', { page: p }) })}
    />
  );
}
