import { describe, expect, it } from 'vitest';
import { prepareIndex } from './home-shell.ts';

const BUILT = `<!doctype html><html lang="vi"><head><title>x</title>
<script type="module" crossorigin src="/assets/index-1.js"></script>
<link rel="stylesheet" crossorigin href="/assets/index-2.css">
</head><body><div id="root"></div></body></html>`;

describe('index.html as served', () => {
  it('moves the stylesheet after the content, so it does not hold back the first paint', () => {
    const html = prepareIndex(BUILT, { home: false });
    expect(html.indexOf('href="/assets/index-2.css"')).toBeGreaterThan(html.indexOf('<div id="root"></div>'));
    expect(html.match(/index-2\.css/g)).toHaveLength(1);
    expect(html).not.toContain('shell-q');
  });

  it('gives the front page its plain HTML forms, which work before any script', () => {
    const html = prepareIndex(BUILT, { home: true });
    const root = html.slice(html.indexOf('<div id="root">'), html.indexOf('href="/assets/index-2.css"'));
    expect(root).toContain('<form method="get" action="/procedures"');
    expect(root).toContain('<input id="shell-q" name="q"');
    expect(root).toContain('<form method="get" action="/lite/track"');
    expect(root).toContain('<input id="shell-code" name="code"');
    expect(root).toContain('<label for="shell-code">Mã hồ sơ</label>');
    expect(html.indexOf('<style>')).toBeLessThan(html.indexOf('</head>'));
  });
});
