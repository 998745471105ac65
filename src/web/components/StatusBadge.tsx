import { Badge, type BadgeProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const STATUS_COLOURS: Record<number, string> = {
  3: 'red',
  5: 'orange',
  6: 'orange',
  7: 'gray',
  8: 'red',
  9: 'teal',
  10: 'green',
};

/**
 * A dossier's national status (1–10) in words, with a colour that is never the only signal. Light: white
 * on Mantine's orange, teal or green falls short of WCAG AA; the light tint with dark text passes.
 */
export function StatusBadge({
  statusCode,
  size = 'lg',
  testId,
}: {
  statusCode: number;
  size?: BadgeProps['size'];
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Badge
      size={size}
      variant="light"
      color={STATUS_COLOURS[statusCode] ?? 'blue'}
      tt="none"
      data-testid={testId}
      style={{ border: '1px solid currentColor' }}
    >
      {t(`status.s${statusCode as 1}`)}
    </Badge>
  );
}
