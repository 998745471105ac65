import { formatCompactTime } from '../../../core/documents/vn-format.ts';
import type { PublicDossier as PublicView } from '../../../core/dossiers/tracking.schemas.ts';
import { escapeHtml as html, htmlPage } from '../../html-page.ts';

const VERDICTS: Record<string, string> = { early: 'trước hạn', on_time: 'đúng hạn', late: 'quá hạn' };
const time = (iso: string | null) => (iso ? formatCompactTime(new Date(iso)) : '—');

/** The lookup form, keeping what was typed so a mistyped code is corrected, not retyped. */
const form = (
  typed = '',
) => `<form method="get" action="/lite/track"><label for="code">Mã hồ sơ (in trên Giấy tiếp nhận, ví dụ 30502-251122-0001)</label><br>
<input id="code" name="code" value="${html(typed)}" autocomplete="off" required><br>
<label for="last4">4 số cuối của số định danh cá nhân (để xem chi tiết, không bắt buộc)</label><br>
<input id="last4" name="last4" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off">
<button type="submit">Tra cứu</button></form>`;

/** Without the second fact: the status, and the field that unlocks the details. */
function statusOnly(d: PublicView) {
  return `<div class="box"><dl><dt>Thủ tục</dt><dd>${html(d.procedure.name)}</dd>
<dt>Tình trạng</dt><dd><strong data-testid="tracking-status">${html(d.statusName)}</strong></dd></dl></div>
<form method="get" action="/lite/track/${encodeURIComponent(d.code)}"><label for="last4">Nhập 4 số cuối của số định danh cá nhân người nộp để xem chi tiết</label><br>
<input id="last4" name="last4" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off" required>
<button type="submit">Xem chi tiết</button></form>`;
}

/** A dossier's masked status and timeline as plain HTML: the web app's first paint of /track/<code>. */
export function renderTrackingFragment(d: PublicView) {
  if (!d.detailed) return `<h1>Hồ sơ ${html(d.code)}</h1>${statusOnly(d)}`;
  const rows = (d.timeline ?? [])
    .map(
      (t) =>
        `<tr><td>${html(time(t.at))}</td><td>${html(t.action)}</td><td>${t.verdict ? html(VERDICTS[t.verdict] ?? t.verdict) : ''}</td></tr>`,
    )
    .join('');
  return `<h1>Hồ sơ ${html(d.code)}</h1><p><strong data-testid="tracking-status">${html(d.statusName)}</strong></p>
<dl><dt>Thủ tục</dt><dd>${html(d.procedure.name)}</dd>
<dt>Người nộp</dt><dd>${html(d.applicantName ?? '')} (số định danh ${html(d.citizenId ?? '')})</dd>
<dt>Ngày tiếp nhận</dt><dd>${html(time(d.receivedAt ?? null))}</dd>
<dt>Hẹn trả kết quả</dt><dd>${html(time(d.dueAt ?? null))}</dd></dl>
<h2>Quá trình xử lý</h2><table><tbody>${rows}</tbody></table>`;
}

/** The tracking page: the form, an error, or a dossier's masked status and timeline. */
export function renderTrackingPage(state: { dossier: PublicView } | { error: string; typed: string } | null) {
  if (!state) return htmlPage('Tra cứu hồ sơ', 'Tra cứu tình trạng hồ sơ', form());
  if ('error' in state)
    return htmlPage(
      'Tra cứu hồ sơ',
      'Tra cứu tình trạng hồ sơ',
      `<p class="bad">${html(state.error)}</p>${form(state.typed)}`,
    );
  const d = state.dossier;
  if (!d.detailed) return htmlPage(`Hồ sơ ${d.code}`, `Hồ sơ ${d.code}`, statusOnly(d));
  const status =
    d.statusCode === 9
      ? '<p class="ok">Đã có kết quả: mời Ông/Bà mang Giấy tiếp nhận đến Trung tâm Phục vụ hành chính công để nhận.</p>'
      : d.overdue
        ? '<p class="warn">Hồ sơ đã quá hạn hẹn trả; cơ quan giải quyết sẽ gửi văn bản xin lỗi và hẹn lại.</p>'
        : '';
  const rows = (d.timeline ?? [])
    .map(
      (t) =>
        `<tr><td>${html(time(t.at))}</td><td>${html(t.action)}</td><td>${t.verdict ? html(VERDICTS[t.verdict] ?? t.verdict) : ''}</td></tr>`,
    )
    .join('');
  return htmlPage(
    `Hồ sơ ${d.code}`,
    `Hồ sơ ${d.code}`,
    `<div class="box"><dl>
<dt>Thủ tục</dt><dd>${html(d.procedure.name)}</dd>
<dt>Người nộp</dt><dd>${html(d.applicantName ?? '')} (số định danh ${html(d.citizenId ?? '')})</dd>
<dt>Tình trạng</dt><dd><strong>${html(d.statusName)}</strong></dd>
<dt>Ngày tiếp nhận</dt><dd>${html(time(d.receivedAt ?? null))}</dd>
<dt>Hẹn trả kết quả</dt><dd>${html(time(d.dueAt ?? null))}</dd>
${d.returnedAt ? `<dt>Đã trả kết quả</dt><dd>${html(time(d.returnedAt))}</dd>` : ''}</dl></div>${status}
${d.statusCode >= 9 ? `<p><a href="/verify/${encodeURIComponent(d.code)}">Xác thực kết quả điện tử của hồ sơ</a></p>` : ''}
<h2>Quá trình giải quyết</h2><table><thead><tr><th>Thời gian</th><th>Bước</th><th>Kết quả</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}
