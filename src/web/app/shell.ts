/**
 * What a citizen typed into the server's plain front page before the app started (see
 * src/server/web/home-shell.ts): read once, before React replaces it.
 */
function read(id: string) {
  const input = document.getElementById(id);
  return input instanceof HTMLInputElement ? input.value : '';
}

export const shellValues = { q: read('shell-q'), code: read('shell-code') };
