import '@mantine/core/styles.css';
import './app/app.css';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { applyLargeText, savedLargeText } from './app/preferences.ts';
import { initI18n } from './i18n/index.ts';

applyLargeText(savedLargeText());
await initI18n();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
