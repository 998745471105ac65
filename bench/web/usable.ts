/** When a page counts as usable, checked in the page itself (as it happens) and confirmed by Playwright. */
import type { Page } from 'playwright-core';

/** What makes a page usable: labelled fields visible and enabled, or an element by its data-testid. */
export type UsableWhen = { labels: string[] } | { testId: string };

/**
 * The page's own watcher, installed before any of its scripts: it notes performance.now() (milliseconds
 * since the navigation started) the first time the condition holds, checked on every DOM change and
 * every frame. A string, so that no helper of the TypeScript loader ends up in the page.
 */
export function usableWatcher(when: UsableWhen): string {
  return `(() => {
  const when = ${JSON.stringify(when)};
  const shown = (el) => {
    if (!el || !el.isConnected) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const enabled = (el) => el.matches(':enabled') && el.getAttribute('aria-disabled') !== 'true';
  const labelled = (text) => {
    const label = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === text);
    return label ? label.control : null;
  };
  const holds = () =>
    'testId' in when
      ? shown(document.querySelector('[data-testid="' + when.testId + '"]'))
      : when.labels.every((text) => { const c = labelled(text); return shown(c) && enabled(c); });
  let done = false;
  const check = () => {
    if (done || !holds()) return;
    done = true;
    window.__benchUsableAt = performance.now();
    observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
  const frame = () => { check(); if (!done) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();`;
}

/**
 * Playwright agrees with the watcher: the same fields are visible and enabled (the first paint may be
 * the server's plain HTML, which the app replaces when its scripts arrive: the fields come back then).
 */
export async function confirmUsable(page: Page, when: UsableWhen) {
  const locators =
    'testId' in when ? [page.getByTestId(when.testId)] : when.labels.map((l) => page.getByLabel(l));
  for (const locator of locators) {
    const one = locator.first();
    const ok = await one.waitFor({ state: 'visible', timeout: 90_000 }).then(
      async () => 'testId' in when || one.isEnabled(),
      () => false,
    );
    if (!ok) throw new Error(`the page's watcher and Playwright disagree on ${locator}`);
  }
}
