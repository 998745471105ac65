/**
 * The plain server-rendered pages (public tracking and verification until the web app takes over):
 * no scripts, one small style sheet, readable on any phone over a weak rural link.
 */
export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const STYLE = `body{font-family:system-ui,sans-serif;max-width:44rem;margin:1.5rem auto;padding:0 1rem;line-height:1.6;color:#1a1a1a;font-size:1.05rem}
a{color:#0b5cad}h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:1.6rem}
.ok,.bad,.warn{padding:.8rem 1rem;border-radius:.4rem;font-weight:600;margin:1rem 0}
.ok{background:#e6f4ea;color:#0d5c22;border:2px solid #0d5c22}.bad{background:#fdecea;color:#8a1c12;border:2px solid #8a1c12}
.warn{background:#fff4e5;color:#7a4300;border:2px solid #7a4300}
.box{border:1px solid #ccc;border-radius:.4rem;padding:.6rem 1rem;margin:.8rem 0}dt{font-weight:600}dd{margin:0 0 .4rem;overflow-wrap:anywhere}h1{overflow-wrap:anywhere}
input{font-size:1.05rem;padding:.4rem;margin:.4rem 0;max-width:100%}
button{font-size:1.05rem;padding:.6rem 1.4rem;border-radius:.4rem;border:0;background:#0b5cad;color:#fff;cursor:pointer}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
code{word-break:break-all;font-size:.85rem}`;

/** A whole page: `heading` is the h1, `body` is trusted HTML built with escapeHtml. */
export function htmlPage(title: string, heading: string, body: string) {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — MotCua</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(heading)}</h1>${body}
<p><a href="/track">Tra cứu hồ sơ</a> · <a href="/verify">Xác thực văn bản</a> · <a href="/">Trang chủ</a></p></body></html>`;
}
