import { withDemoBanner } from '../plugins/demo-banner.ts';

/**
 * The portal's front page as plain HTML, sent inside index.html for `/`: on a slow 3G link a citizen can
 * search the catalogue or track a dossier as soon as the page arrives, before the app's scripts do (the
 * forms work without them: /procedures and /lite/track). The app replaces it when it starts, keeping what
 * was typed (src/web/main.tsx reads #shell-q and #shell-code).
 */
const SHELL = `<div class="shell">
<header class="shell-top"><a href="/">Một cửa · Dịch vụ hành chính công</a></header>
<main class="shell-main" id="main">
<h1>Làm thủ tục hành chính dễ dàng</h1>
<p>Tìm thủ tục, nộp hồ sơ trực tuyến, tra cứu tình trạng và nhận kết quả có chữ ký số.</p>
<form method="get" action="/procedures" class="shell-card" role="search">
<label for="shell-q">Bạn cần làm thủ tục gì?</label>
<input id="shell-q" name="q" type="search" placeholder="Ví dụ: khai sinh, chứng thực, tạm trú" autocomplete="off">
<button type="submit">Tìm</button>
</form>
<form method="get" action="/lite/track" class="shell-card" role="search">
<h2>Tra cứu hồ sơ</h2>
<label for="shell-code">Mã hồ sơ</label>
<input id="shell-code" name="code" placeholder="Ví dụ 30502-251122-0001" autocomplete="off" autocapitalize="off" spellcheck="false">
<button type="submit">Tra cứu</button>
</form>
</main>
</div>`;

const SHELL_STYLE = `<style>
.shell{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1a1a1a;line-height:1.5}
.shell-top{background:#1971c2;padding:.9rem 1rem}.shell-top a{color:#fff;font-weight:700;font-size:1.1rem;text-decoration:none}
.shell-main{max-width:70rem;margin:0 auto;padding:1rem}.shell h1{font-size:1.9rem;margin:.3rem 0}
.shell-card{border:1px solid #dee2e6;border-radius:.5rem;padding:1rem;margin:1rem 0;max-width:34rem}
.shell label{display:block;font-weight:600;margin-bottom:.3rem}.shell h2{font-size:1.3rem;margin:0 0 .5rem}
.shell input{box-sizing:border-box;width:100%;font-size:1rem;padding:.6rem .8rem;border:1px solid #868e96;border-radius:.4rem}
.shell-track dt{font-weight:600}.shell-track dd{margin:0 0 .5rem}.shell-track td{padding:.2rem .5rem .2rem 0;vertical-align:top}
.shell button{margin-top:.8rem;font-size:1rem;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#1971c2;color:#fff}
</style>`;

/** A tracked dossier, already looked up, as the first paint of /track/<code>. */
function trackingShell(fragment: string) {
  return `<div class="shell"><header class="shell-top"><a href="/">Một cửa · Dịch vụ hành chính công</a></header>
<main class="shell-main shell-track" id="main">${fragment}</main></div>`;
}

const STYLESHEET = /\s*<link rel="stylesheet"[^>]*>/g;

/**
 * index.html as served: the stylesheet moves to the end of the body, so it no longer holds back the
 * first paint (the app's scripts wait for it anyway); `/` also gets the plain front page.
 */
export function prepareIndex(
  html: string,
  options: { home: boolean; tracking?: string | null; demo?: boolean },
): string {
  const sheets = html.match(STYLESHEET) ?? [];
  let out = html.replace(STYLESHEET, '');
  if (options.demo) out = withDemoBanner(out);
  const content = options.home ? SHELL : options.tracking ? trackingShell(options.tracking) : null;
  if (content) {
    out = out
      .replace('</head>', `${SHELL_STYLE}\n</head>`)
      .replace('<div id="root"></div>', `<div id="root">${content}</div>`);
  }
  return sheets.length > 0 ? out.replace('</body>', `${sheets.join('')}\n</body>`) : out;
}
