import { formatCompactTime, formatShortDate } from '../../../../core/documents/vn-format.ts';
import { escapeHtml as html, htmlPage } from '../../../html-page.ts';
import { dnField } from '../../signing/dn.ts';
import type { VerificationReport } from '../../signing/pdf-verifier.ts';

const page = (title: string, body: string) => htmlPage(title, 'Xác thực văn bản điện tử có chữ ký số', body);

const day = (iso: string) => formatShortDate(new Date(iso));
const time = (iso: string | null) => (iso ? formatCompactTime(new Date(iso)) : 'không rõ');

/** `issuedHere` false for a file that names a dossier of this system: not the result the system issued. */
function verdict(r: VerificationReport, issuedHere = true) {
  if (r.signatures.length === 0) return '<p class="bad">Tệp không có chữ ký số.</p>';
  if (r.modifiedAfterSigning) {
    return '<p class="bad">✖ Văn bản đã bị thay đổi sau khi ký: nội dung không còn như khi được ký số. Không sử dụng văn bản này.</p>';
  }
  if (!issuedHere) {
    return `<p class="bad">✖ Tệp ghi là kết quả của hồ sơ ${html(r.dossierCode ?? '')} nhưng không trùng với bản hệ thống đã cấp: có thể đã bị làm giả. Không sử dụng văn bản này; hãy liên hệ Trung tâm Phục vụ hành chính công.</p>`;
  }
  if (r.valid)
    return '<p class="ok">✔ Văn bản hợp lệ: các chữ ký số còn nguyên vẹn, do chứng thư số được tin cậy tạo ra.</p>';
  return '<p class="warn">⚠ Văn bản chưa được xác nhận hợp lệ: xem chi tiết từng chữ ký dưới đây.</p>';
}

/** Names only: a personal certificate's full subject may carry its holder's ID number. */
function signatures(r: VerificationReport) {
  return r.signatures
    .map((s, i) => {
      const cert = s.certificate;
      const problems =
        s.problems.length > 0 ? `<dt>Vấn đề</dt><dd>${s.problems.map(html).join('; ')}</dd>` : '';
      return `<div class="box"><h2>Chữ ký ${i + 1}: ${html(s.signer)}</h2><dl>
<dt>Kết quả</dt><dd>${s.valid ? 'Chữ ký toàn vẹn' : 'Chữ ký không hợp lệ'}${cert ? (cert.trusted ? ', chứng thư số được tin cậy' : ', chứng thư số không được tin cậy') : ''}</dd>
<dt>Thời điểm ký</dt><dd>${html(time(s.signedAt))}${s.timestamped ? ' (có dấu thời gian)' : ''}</dd>
${s.organization ? `<dt>Cơ quan, tổ chức</dt><dd>${html(s.organization)}</dd>` : ''}
${cert ? `<dt>Tổ chức chứng thực cấp</dt><dd>${html(dnField(cert.issuer, 'CN') ?? cert.issuer)}</dd><dt>Số hiệu</dt><dd>${html(cert.serialNumber)}</dd><dt>Hiệu lực</dt><dd>từ ${html(day(cert.validFrom))} đến ${html(day(cert.validTo))}</dd>` : ''}
${problems}</dl></div>`;
    })
    .join('');
}

export function renderVerifyForm(error?: string) {
  return page(
    'Xác thực văn bản',
    `<p>Chọn tệp PDF kết quả giải quyết thủ tục hành chính để kiểm tra chữ ký số: ai đã ký, ký lúc nào, văn bản có bị sửa sau khi ký không.</p>
${error ? `<p class="bad">${html(error)}</p>` : ''}
<form method="post" action="/verify" enctype="multipart/form-data">
<label for="file">Tệp PDF (tối đa 20 MB)</label><br><input id="file" name="file" type="file" accept="application/pdf" required><br>
<button type="submit">Kiểm tra</button></form>
<p>Hoặc quét mã QR in trên văn bản để mở trang xác thực của hồ sơ.</p>`,
  );
}

export function renderVerifyReport(r: VerificationReport & { issuedHere: boolean; sha256: string }) {
  const dossier = r.dossierCode
    ? `<p>Thuộc hồ sơ: <a href="/track/${encodeURIComponent(r.dossierCode)}">${html(r.dossierCode)}</a>${r.issuedHere ? ' — đúng bản do hệ thống cấp' : ''}</p>`
    : '';
  return page(
    'Kết quả xác thực',
    `${verdict(r, r.issuedHere || !r.dossierCode)}${dossier}${signatures(r)}<p>Mã băm SHA-256 của tệp: <code>${r.sha256}</code></p>`,
  );
}

export function renderVerifyResults(
  code: string,
  stored: {
    number: number;
    year: number;
    book: string;
    /** The document's name: what the result is (the birth extract, the certificate…). */
    name: string;
    issuedAt: string;
    sha256: string;
    report: VerificationReport | null;
  }[],
) {
  if (stored.length === 0) {
    return page(
      'Xác thực kết quả',
      `<p class="warn">Hồ sơ ${html(code)} chưa có kết quả điện tử nào được ký số, hoặc mã hồ sơ không đúng.</p>`,
    );
  }
  const items = stored
    .map(
      (
        s,
      ) => `<h2>${html(s.name.replace(/\.pdf$/, ''))}</h2><p>Số ${s.number}/${s.year} (${html(s.book)}), cấp lúc ${html(time(s.issuedAt))}</p>
${s.report ? `${verdict(s.report)}${signatures(s.report)}` : '<p class="bad">Không đọc được tệp kết quả đã lưu.</p>'}
<p>Mã băm SHA-256 của bản gốc: <code>${s.sha256}</code>. Tệp bạn giữ phải có đúng mã băm này; có thể kiểm tra bằng cách tải tệp lên <a href="/verify">tại đây</a>.</p>`,
    )
    .join('');
  return page(
    `Xác thực kết quả hồ sơ ${code}`,
    `<p>Hồ sơ: <a href="/track/${encodeURIComponent(code)}">${html(code)}</a></p>${items}`,
  );
}
