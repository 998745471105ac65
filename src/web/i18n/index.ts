import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { vi } from './vi.ts';

export const LANGUAGES = [
  { code: 'vi', label: 'Tiếng Việt' },
  { code: 'en', label: 'English' },
  { code: 'fr', label: 'Français' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'motcua.language';

// Vietnamese ships in the first bundle; the others load when chosen (a weak link pays only for its own).
const loaders: Record<Exclude<Language, 'vi'>, () => Promise<Record<string, unknown>>> = {
  en: () => import('./en.ts').then((m) => m.en),
  fr: () => import('./fr.ts').then((m) => m.fr),
};

function isLanguage(value: string | null): value is Language {
  return LANGUAGES.some((l) => l.code === value);
}

/** The saved choice, else Vietnamese: the browser's language is not a good guess for a public counter. */
export function savedLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return isLanguage(saved) ? saved : 'vi';
  } catch {
    return 'vi';
  }
}

/** Switches the language, loading it first, and keeps <html lang> in step. */
export async function changeLanguage(language: Language) {
  if (language !== 'vi' && !i18next.hasResourceBundle(language, 'translation')) {
    i18next.addResourceBundle(language, 'translation', await loaders[language]());
  }
  await i18next.changeLanguage(language);
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

i18next.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

export async function initI18n() {
  await i18next.use(initReactI18next).init({
    lng: 'vi',
    fallbackLng: 'vi',
    resources: { vi: { translation: vi } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = 'vi';
  const saved = savedLanguage();
  if (saved !== 'vi') await changeLanguage(saved);
}
