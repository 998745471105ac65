const LARGE_TEXT_KEY = 'motcua.largeText';

export function savedLargeText(): boolean {
  try {
    return localStorage.getItem(LARGE_TEXT_KEY) === '1';
  } catch {
    return false;
  }
}

/** Larger text scales the whole page (Mantine sizes are in rem), for older eyes and small phones. */
export function applyLargeText(on: boolean) {
  document.documentElement.style.fontSize = on ? '125%' : '';
  document.documentElement.dataset.largeText = on ? 'on' : 'off';
  try {
    localStorage.setItem(LARGE_TEXT_KEY, on ? '1' : '0');
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}
