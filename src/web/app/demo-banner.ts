import i18next from 'i18next';

/**
 * The server puts the demo banner at the top of every page while demo data is on (in Vietnamese,
 * before any script): once the app runs, it speaks the chosen language.
 */
export function translateDemoBanner() {
  const text = document.querySelector('#demo-banner span');
  if (!text) return;
  const apply = () => {
    text.textContent = i18next.t('app.demoBanner');
  };
  apply();
  i18next.on('languageChanged', apply);
}
