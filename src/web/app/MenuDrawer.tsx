import { Drawer } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * The phone menu in its own chunk: a drawer needs scrolling and focus trapping (a quarter of the first
 * page's script), which a citizen pays for only when they open the menu.
 */
export default function MenuDrawer({
  opened,
  onClose,
  title,
  closeLabel,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  closeLabel: string;
  children: ReactNode;
}) {
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      title={title}
      hiddenFrom="sm"
      size="xs"
      closeButtonProps={{ 'aria-label': closeLabel }}
    >
      {children}
    </Drawer>
  );
}
