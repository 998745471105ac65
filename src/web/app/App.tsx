import {
  type CSSVariablesResolver,
  createTheme,
  darken,
  defaultVariantColorsResolver,
  MantineProvider,
  type VariantColorsResolver,
} from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { ApiError } from '../api/client.ts';
import { router } from './router.tsx';

// Light badges and alerts write in their colour's darkest shade, darker still: WCAG AA on their tint.
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const shades = input.theme.colors[input.color ?? ''];
  if ((input.variant === 'light' || input.variant === 'outline') && shades) {
    return { ...colors, color: darken(shades[9], 0.3) };
  }
  // White on a filled green, orange or red button: the darkest shade, darker still (blue's shade 8 passes).
  if (input.variant === 'filled' && shades && input.color !== 'blue' && input.color !== 'dark') {
    return { ...colors, background: darken(shades[9], 0.2), hover: darken(shades[9], 0.3) };
  }
  return colors;
};

// Darker primary shades than Mantine's default blue: white text on them passes WCAG AA contrast.
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
  defaultRadius: 'md',
  variantColorResolver,
});

// Mantine's dimmed grey (3.3:1 on white) is too faint for hints older eyes must read: darker, 7.5:1.
const resolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#495057', '--mantine-color-placeholder': '#6b7178' },
  dark: {},
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A weak link: keep what was shown, retry network failures a little, never a 4xx.
      staleTime: 30_000,
      retry: (count, error) => error instanceof ApiError && error.isNetwork && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={resolver}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
