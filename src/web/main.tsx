import '@mantine/core/styles.css';
import './app/app.css';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { translateDemoBanner } from './app/demo-banner.ts';
import { applyLargeText, savedLargeText } from './app/preferences.ts';
import './app/shell.ts';
import { initI18n } from './i18n/index.ts';

/**
 * The server moves the stylesheet to the end of the page so that its plain HTML paints at once (see
 * src/server/web/home-shell.ts): the app waits for it, never showing itself unstyled.
 */
function stylesheetsLoaded() {
  const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')];
  return Promise.all(
    links
      .filter((l) => !l.sheet)
      .map(
        (l) =>
          new Promise<void>((resolve) => {
            l.addEventListener('load', () => resolve(), { once: true });
            l.addEventListener('error', () => resolve(), { once: true });
          }),
      ),
  );
}

applyLargeText(savedLargeText());
await Promise.all([initI18n(), stylesheetsLoaded()]);
translateDemoBanner();
// Back at the top of <head>, before the theme's own variables that Mantine adds as it starts: theirs win.
for (const link of [...document.querySelectorAll('link[rel="stylesheet"]')].reverse())
  document.head.prepend(link);
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
