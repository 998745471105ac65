import { STAGE_LABELS, type StartupState } from '../../startup-state.ts';

const page = (body: string, refresh: boolean) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refresh ? '<meta http-equiv="refresh" content="2">' : ''}
<title>MotCua — Một cửa</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1a1a1a}
a{color:#0b5cad}progress{width:100%;height:1.2rem}h1{font-size:1.6rem}</style></head>
<body><h1>MotCua — Hệ thống một cửa cấp xã</h1>${body}</body></html>`;

/**
 * The server's own page at the root: loading progress on a first start (the data, then the web app),
 * and plain links when the web app is not built. Null when the web app should answer.
 */
export function renderHome(startup: StartupState, webReady: boolean): string | null {
  if (!startup.ready) {
    const percent = Math.round(startup.progress * 100);
    return page(
      `<p>Hệ thống đang khởi động lần đầu và nạp dữ liệu danh mục. ${STAGE_LABELS[startup.stage] ?? startup.stage}: ${percent}%.</p>
<progress max="100" value="${percent}">${percent}%</progress><p>Trang sẽ tự tải lại.</p>`,
      true,
    );
  }
  if (webReady) return null;
  return page(
    `<p>Trung tâm Phục vụ hành chính công cấp xã: tiếp nhận, xử lý, trả kết quả hồ sơ thủ tục hành chính.</p>
<p>Giao diện web chưa được dựng (<code>npm run build:web</code>; <code>npm start</code> tự dựng khi cần).</p>
<ul><li><a href="/lite/track">Tra cứu tình trạng hồ sơ</a></li>
<li><a href="/verify">Xác thực văn bản điện tử có chữ ký số</a></li>
<li><a href="/api/docs">Tài liệu API (OpenAPI)</a></li>
<li><a href="/api/procedures?pageSize=100">Danh mục thủ tục hành chính</a></li>
<li><a href="/api/units?q=nung%20tri%20cao">Tra cứu đơn vị hành chính</a></li>
<li><a href="/api/calendar/days-off?year=2026">Ngày nghỉ lễ năm 2026</a></li>
<li><a href="/readyz">Trạng thái hệ thống</a></li></ul>`,
    false,
  );
}
