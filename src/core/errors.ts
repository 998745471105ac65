import { z } from 'zod';
/** The closed set of error codes the API can answer with; the server maps each to one HTTP status. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'ROUTE_NOT_FOUND',
  'UNIT_NOT_FOUND',
  'VILLAGE_NOT_FOUND',
  'SCHEDULE_ENTRY_NOT_FOUND',
  'PROCEDURE_NOT_FOUND',
  'DOSSIER_NOT_FOUND',
  'ACTION_NOT_ALLOWED',
  'ROLE_NOT_ALLOWED',
  'VERSION_CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'MISSING_COMPONENTS',
  'SUPPLEMENT_DEADLINE_PASSED',
  'CSRF_INVALID',
  'ACCOUNT_LOCKED',
  'CURRENT_PASSWORD_WRONG',
  'COMPONENT_NOT_FOUND',
  'DOCUMENT_NOT_FOUND',
  'JOB_NOT_FOUND',
  'JOB_NOT_DEAD',
  'FILE_TYPE_NOT_ALLOWED',
  'FILE_TOO_LARGE',
  'FILE_CORRUPT',
  'FILE_HAS_SCRIPT',
  'FILE_TOO_MANY_PAGES',
  'FILE_MISSING',
  'IMAGE_TOO_MANY_PIXELS',
  'SCANS_TOO_MANY_PIXELS',
  'TOO_MANY_FILES',
  'FORM_NOT_AVAILABLE',
  'RESULT_NOT_FOUND',
  'NO_SIGNING_CREDENTIAL',
  'SIGNING_PIN_WRONG',
  'SIGNING_LOCKED',
  'CERTIFICATE_INVALID',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'CATALOGUE_SCOPE_FORBIDDEN',
  'NOT_COMPETENT_UNIT',
  'VARIANT_CHANGES_LOCKED',
  'IDENTITY_LEVEL_TOO_LOW',
  'PROCEDURE_NOT_ONLINE',
  'ALREADY_RATED',
  'SIGN_IN_FAILED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'TOO_MANY_UNKNOWN_CODES',
  'TOO_MANY_LOOKUPS',
  'TRACKING_FACT_WRONG',
  'TOO_MANY_WRONG_FACTS',
  'STORE_CONSENT_REQUIRED',
  'CONSENT_NO_PHONE',
  'CONSENT_CODE_WRONG',
  'CONSENT_CODE_EXPIRED',
  'CONSENT_TOO_MANY_TRIES',
  'CONSENT_TOO_MANY_REQUESTS',
  'CONSENT_REQUEST_NOT_FOUND',
  'SMS_GATEWAY_FAILED',
  'SMS_GATEWAY_UNAVAILABLE',
  'NOT_READY',
  'STORAGE_UNAVAILABLE',
  'PDF_CHECKS_BUSY',
  'PDF_CHECK_ABORTED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one error body of the API (the server writes it, the web reads it with this schema). */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type Language = 'vi' | 'en';
type Params = Record<string, string | number>;
type Template = (p: Params) => string;

const MESSAGES: Record<ErrorCode, Record<Language, Template>> = {
  VALIDATION_FAILED: {
    vi: () => 'Dữ liệu gửi lên không hợp lệ. Vui lòng kiểm tra các trường được đánh dấu.',
    en: () => 'The request is not valid. Please check the fields listed.',
  },
  ROUTE_NOT_FOUND: {
    vi: (p) => `Không có địa chỉ ${p.method} ${p.url}.`,
    en: (p) => `There is no ${p.method} ${p.url}.`,
  },
  UNIT_NOT_FOUND: {
    vi: (p) => `Không tìm thấy đơn vị hành chính có mã ${p.code}.`,
    en: (p) => `No administrative unit has the code ${p.code}.`,
  },
  VILLAGE_NOT_FOUND: {
    vi: (p) => `Không tìm thấy thôn, tổ dân phố số ${p.id}.`,
    en: (p) => `No village or residential group has the id ${p.id}.`,
  },
  SCHEDULE_ENTRY_NOT_FOUND: {
    vi: (p) => `Không có ngày ${p.date} trong lịch nghỉ chính thức của ${p.scope}.`,
    en: (p) => `The official schedule of ${p.scope} has no entry on ${p.date}.`,
  },
  PROCEDURE_NOT_FOUND: {
    vi: (p) => `Không tìm thấy thủ tục hành chính ${p.code}.`,
    en: (p) => `No administrative procedure ${p.code}.`,
  },
  DOSSIER_NOT_FOUND: {
    vi: (p) => `Không tìm thấy hồ sơ ${p.id}.`,
    en: (p) => `No dossier ${p.id}.`,
  },
  ACTION_NOT_ALLOWED: {
    vi: (p) =>
      `Không thể "${p.action}" khi hồ sơ đang ở trạng thái "${p.stateName}". Thao tác được phép: ${p.allowed || 'không có'}.`,
    en: (p) =>
      `"${p.action}" is not allowed while the dossier is "${p.state}". Allowed: ${p.allowed || 'none'}.`,
  },
  ROLE_NOT_ALLOWED: {
    vi: (p) => `Vai trò của bạn không được thực hiện "${p.action}" ở bước này của hồ sơ.`,
    en: (p) => `Your role may not "${p.action}" at this point of the dossier.`,
  },
  VERSION_CONFLICT: {
    vi: (p) =>
      `Hồ sơ vừa được người khác cập nhật (phiên bản ${p.current}, trạng thái "${p.stateName}"). Vui lòng tải lại rồi thao tác tiếp. Thao tác được phép: ${p.allowed || 'không có'}.`,
    en: (p) =>
      `Someone else has just updated the dossier (version ${p.current}, state "${p.state}"). Reload and try again. Allowed: ${p.allowed || 'none'}.`,
  },
  IDEMPOTENCY_KEY_REUSED: {
    vi: () => 'Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác.',
    en: () => 'This Idempotency-Key was already used for a different request.',
  },
  MISSING_COMPONENTS: {
    vi: (p) => `Hồ sơ còn thiếu thành phần bắt buộc: ${p.names}.`,
    en: (p) => `Required components are missing: ${p.names}.`,
  },
  SUPPLEMENT_DEADLINE_PASSED: {
    vi: (p) => `Đã quá hạn bổ sung (${p.deadline}); yêu cầu bổ sung hết hiệu lực, hãy dừng xử lý hồ sơ.`,
    en: (p) => `The supplement deadline (${p.deadline}) has passed; stop handling the dossier instead.`,
  },
  CSRF_INVALID: {
    vi: () => 'Phiên làm việc không hợp lệ (thiếu mã chống giả mạo). Vui lòng tải lại trang.',
    en: () => 'Missing or wrong anti-forgery token. Please reload the page.',
  },
  ACCOUNT_LOCKED: {
    vi: (p) => `Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau ${p.minutes} phút.`,
    en: (p) => `The account is locked after too many wrong passwords. Try again in ${p.minutes} minutes.`,
  },
  CURRENT_PASSWORD_WRONG: {
    vi: () => 'Mật khẩu hiện tại không đúng.',
    en: () => 'The current password is wrong.',
  },
  COMPONENT_NOT_FOUND: {
    vi: (p) => `Thủ tục của hồ sơ không có thành phần "${p.key}".`,
    en: (p) => `The dossier's procedure has no component "${p.key}".`,
  },
  DOCUMENT_NOT_FOUND: {
    vi: (p) => `Không tìm thấy giấy tờ số ${p.id}.`,
    en: (p) => `No document ${p.id}.`,
  },
  JOB_NOT_FOUND: {
    vi: (p) => `Không tìm thấy công việc số ${p.id}.`,
    en: (p) => `No job ${p.id}.`,
  },
  JOB_NOT_DEAD: {
    vi: (p) =>
      `Công việc số ${p.id} không nằm trong danh sách lỗi (đang ở trạng thái ${p.state}); chỉ công việc đã thử hết số lần mới chạy lại được.`,
    en: (p) =>
      `Job ${p.id} is not on the dead-letter list (it is ${p.state}); only a job whose tries are spent can be retried.`,
  },
  FILE_TYPE_NOT_ALLOWED: {
    vi: (p) =>
      `Tệp "${p.name}" không phải PDF, JPEG hoặc PNG (xét theo nội dung tệp, không theo tên). Vui lòng chọn tệp khác.`,
    en: (p) => `"${p.name}" is not a PDF, JPEG or PNG (judged by its content, not its name).`,
  },
  FILE_TOO_LARGE: {
    vi: (p) => `Tệp quá lớn: tối đa ${p.limitMb} MB mỗi tệp.`,
    en: (p) => `The file is too large: at most ${p.limitMb} MB per file.`,
  },
  FILE_CORRUPT: {
    vi: (p) => `Tệp "${p.name}" bị hỏng hoặc không đọc được (${p.reason}). Vui lòng quét hoặc lưu lại tệp.`,
    en: (p) => `"${p.name}" is damaged or unreadable (${p.reason}). Please scan or save it again.`,
  },
  FILE_HAS_SCRIPT: {
    vi: (p) =>
      `Tệp PDF "${p.name}" chứa mã lệnh, tệp đính kèm hoặc lệnh tự chạy (${p.found}); không thể nhận vì lý do an toàn. Hãy in ra rồi quét lại, hoặc lưu lại thành PDF thường.`,
    en: (p) =>
      `The PDF "${p.name}" contains scripts, attachments or launch actions (${p.found}); refused for safety. Print and scan it, or save it as a plain PDF.`,
  },
  FILE_TOO_MANY_PAGES: {
    vi: (p) => `Tệp "${p.name}" có ${p.pages} trang, vượt quá giới hạn ${p.limit} trang.`,
    en: (p) => `"${p.name}" has ${p.pages} pages, over the limit of ${p.limit}.`,
  },
  IMAGE_TOO_MANY_PIXELS: {
    vi: (p) =>
      `Ảnh "${p.name}" có ${p.width}×${p.height} điểm ảnh, vượt giới hạn ${p.limitMp} triệu điểm mỗi ảnh. Hãy quét ở 200–300 dpi hoặc lưu lại ảnh nhỏ hơn (JPEG).`,
    en: (p) =>
      `The image "${p.name}" is ${p.width}×${p.height} pixels, over the limit of ${p.limitMp} million pixels per image. Scan at 200–300 dpi or save a smaller image (JPEG).`,
  },
  SCANS_TOO_MANY_PIXELS: {
    vi: (p) =>
      `Các ảnh gửi cùng lúc vượt quá tổng ${p.limitMp} triệu điểm ảnh (từ ảnh "${p.name}"). Hãy quét ở độ phân giải thấp hơn hoặc chia thành nhiều lần gửi.`,
    en: (p) =>
      `The images sent together exceed ${p.limitMp} million pixels in all (from "${p.name}" on). Scan at a lower resolution or send them in several parts.`,
  },
  TOO_MANY_FILES: {
    vi: (p) => `Gửi quá nhiều tệp một lần: tối đa ${p.limit} tệp (từ tệp "${p.name}" không nhận).`,
    en: (p) => `Too many files in one request: at most ${p.limit} ("${p.name}" and after were not read).`,
  },
  FILE_MISSING: {
    vi: () => 'Chưa chọn tệp nào để tải lên (trường "file").',
    en: () => 'No file was sent (field "file").',
  },
  FORM_NOT_AVAILABLE: {
    vi: (p) => `Chưa lập được mẫu số ${p.no} (${p.name}): ${p.reason}.`,
    en: (p) => `Form ${p.no} (${p.name}) is not available for this dossier: ${p.reason}.`,
  },
  RESULT_NOT_FOUND: {
    vi: (p) => `Hồ sơ ${p.code} chưa có kết quả điện tử đã ký số.`,
    en: (p) => `Dossier ${p.code} has no signed electronic result yet.`,
  },
  NO_SIGNING_CREDENTIAL: {
    vi: (p) =>
      `${p.who} chưa có chứng thư số còn hiệu lực để ký. Hãy nhập chứng thư số (tệp PKCS#12) hoặc đề nghị cấp chứng thư.`,
    en: (p) => `${p.who} has no valid signing certificate. Import one (PKCS#12) or request one.`,
  },
  SIGNING_PIN_WRONG: {
    vi: (p) =>
      `Mã PIN chữ ký số không đúng. Còn ${p.left} lần thử trước khi chứng thư số bị tạm khóa ${p.minutes} phút.`,
    en: (p) =>
      `Wrong signing PIN. ${p.left} tries left before the certificate is locked for ${p.minutes} minutes.`,
  },
  SIGNING_LOCKED: {
    vi: (p) => `Chứng thư số tạm khóa do nhập sai mã PIN nhiều lần. Vui lòng thử lại sau ${p.minutes} phút.`,
    en: (p) =>
      `The signing certificate is locked after too many wrong PINs. Try again in ${p.minutes} minutes.`,
  },
  CERTIFICATE_INVALID: {
    vi: (p) => `Không dùng được chứng thư số: ${p.reason}.`,
    en: (p) => `The certificate cannot be used: ${p.reason}.`,
  },
  UNAUTHENTICATED: {
    vi: () => 'Vui lòng đăng nhập để tiếp tục.',
    en: () => 'Please sign in to continue.',
  },
  INVALID_CREDENTIALS: {
    vi: () => 'Tên đăng nhập hoặc mật khẩu không đúng.',
    en: () => 'Wrong user name or password.',
  },
  FORBIDDEN: {
    vi: () => 'Bạn không có quyền thực hiện thao tác này trên dữ liệu của đơn vị này.',
    en: () => "You may not do this on this unit's data.",
  },
  CATALOGUE_SCOPE_FORBIDDEN: {
    vi: (p) =>
      p.scope === 'VN'
        ? 'Phiên bản toàn quốc của thủ tục do Bộ quản lý (quản trị hệ thống); tỉnh chỉ được tạo, công bố hoặc bãi bỏ phương án riêng của tỉnh mình.'
        : `Bạn chỉ được quản lý phương án thủ tục của tỉnh mình, không phải của tỉnh mã ${p.scope}.`,
    en: (p) =>
      p.scope === 'VN'
        ? "A procedure's national version is the ministry's (system administrator); a province may only create, publish or retire its own variant."
        : `You may only manage your own province's procedure variants, not those of province ${p.scope}.`,
  },
  NOT_COMPETENT_UNIT: {
    vi: (p) =>
      `Hồ sơ thuộc thẩm quyền giải quyết của ${p.competent}: đơn vị tiếp nhận chỉ tiếp nhận, chuyển xử lý và trả kết quả, không được "${p.action}".`,
    en: (p) =>
      `This dossier is decided by ${p.competent}: the receiving commune only takes it in, routes it and hands back the result; it may not "${p.action}".`,
  },
  VARIANT_CHANGES_LOCKED: {
    vi: (p) =>
      `Phương án của tỉnh chỉ được điều chỉnh lệ phí, các bước và thời hạn giải quyết; các nội dung khác phải giữ như phiên bản toàn quốc (khác ở: ${p.fields}).`,
    en: (p) =>
      `A province variant may change only fees, steps and duration; everything else must match the national version (differs in: ${p.fields}).`,
  },
  IDENTITY_LEVEL_TOO_LOW: {
    vi: (p) =>
      `Thủ tục này cần tài khoản định danh điện tử VNeID mức ${p.needed}; tài khoản của bạn đang ở mức ${p.level}. Bạn có thể nâng lên mức ${p.needed} trên ứng dụng VNeID (tại Công an xã) hoặc nộp hồ sơ trực tiếp tại Trung tâm Phục vụ hành chính công.`,
    en: (p) =>
      `This procedure needs a level ${p.needed} VNeID identity; yours is level ${p.level}. Upgrade it in the VNeID app (at the commune police), or file at the Public Administration Service Centre in person.`,
  },
  PROCEDURE_NOT_ONLINE: {
    vi: (p) =>
      `Thủ tục "${p.name}" chưa nhận hồ sơ trực tuyến: vui lòng nộp tại Trung tâm Phục vụ hành chính công hoặc qua bưu chính.`,
    en: (p) => `"${p.name}" cannot be filed online: please file at the centre or by post.`,
  },
  ALREADY_RATED: {
    vi: () => 'Hồ sơ này đã được đánh giá. Cảm ơn bạn đã góp ý.',
    en: () => 'This dossier has already been rated. Thank you.',
  },
  SIGN_IN_FAILED: {
    vi: () => 'Đăng nhập bằng VNeID không thành công hoặc đã hết hạn. Vui lòng thử lại.',
    en: () => 'Signing in with VNeID failed or expired. Please try again.',
  },
  CONFLICT: {
    vi: (p) => `Thao tác bị từ chối vì xung đột dữ liệu: ${p.detail ?? ''}`.trim(),
    en: (p) => `Refused because of a conflict: ${p.detail ?? ''}`.trim(),
  },
  PAYLOAD_TOO_LARGE: {
    vi: () => 'Dữ liệu gửi lên quá lớn.',
    en: () => 'The request is too large.',
  },
  RATE_LIMITED: {
    vi: () => 'Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút.',
    en: () => 'Too many requests; please try again in a few minutes.',
  },
  TOO_MANY_UNKNOWN_CODES: {
    vi: (p) =>
      `Đã tra cứu nhiều mã hồ sơ không tồn tại. Vui lòng xem lại mã trên Giấy tiếp nhận hồ sơ và thử lại sau ${p.minutes} phút.`,
    en: (p) =>
      `Too many dossier codes that do not exist. Check the code on your receipt and retry in ${p.minutes} minutes.`,
  },
  TOO_MANY_LOOKUPS: {
    vi: (p) => `Địa chỉ này đã tra cứu quá nhiều hồ sơ. Vui lòng thử lại sau ${p.minutes} phút.`,
    en: (p) => `Too many lookups from this address. Please retry in ${p.minutes} minutes.`,
  },
  TRACKING_FACT_WRONG: {
    vi: () => '4 số cuối của số định danh cá nhân không khớp với hồ sơ này.',
    en: () => 'The last 4 digits of the personal ID do not match this dossier.',
  },
  TOO_MANY_WRONG_FACTS: {
    vi: (p) =>
      `Đã nhập sai 4 số cuối của số định danh quá nhiều lần. Vui lòng thử lại sau ${p.minutes} phút.`,
    en: (p) => `The last 4 ID digits were wrong too many times. Please retry in ${p.minutes} minutes.`,
  },
  NOT_READY: {
    vi: () => 'Hệ thống đang khởi động, vui lòng thử lại sau.',
    en: () => 'The system is starting; please try again shortly.',
  },
  STORE_CONSENT_REQUIRED: {
    vi: () =>
      'Chưa có sự đồng ý của công dân: kho dữ liệu của công dân chỉ mở cho từng hồ sơ khi công dân đồng ý. Hãy bấm "Xin phép công dân" để gửi mã tới điện thoại của công dân hoặc gửi yêu cầu lên Cổng dịch vụ công (VNeID).',
    en: () =>
      'The citizen has not consented: a citizen\'s data store opens for one dossier only with their consent. Use "Ask the citizen" to send a code to their phone or a request to their VNeID portal session.',
  },
  CONSENT_NO_PHONE: {
    vi: () =>
      'Công dân chưa có số điện thoại được VNeID xác thực trong hệ thống, nên không gửi được mã. Hãy gửi yêu cầu lên Cổng dịch vụ công để công dân đăng nhập VNeID và đồng ý, hoặc số hóa giấy tờ công dân mang đến.',
    en: () =>
      'The citizen has no VNeID-verified phone number on record, so no code can be sent. Send the request to their portal (VNeID sign-in) instead, or scan the papers they brought.',
  },
  CONSENT_CODE_WRONG: {
    vi: (p) => `Mã xác nhận không đúng. Còn ${p.left} lần thử.`,
    en: (p) => `The confirmation code is wrong. ${p.left} tries left.`,
  },
  CONSENT_CODE_EXPIRED: {
    vi: () => 'Mã xác nhận đã hết hạn hoặc chưa được gửi. Hãy gửi mã mới cho công dân.',
    en: () => 'The confirmation code has expired or was never sent. Send the citizen a new code.',
  },
  CONSENT_TOO_MANY_TRIES: {
    vi: () =>
      'Đã nhập sai mã xác nhận quá nhiều lần; mã này không dùng được nữa. Hãy gửi mã mới cho công dân.',
    en: () => 'The code was entered wrongly too many times and no longer works. Send the citizen a new code.',
  },
  CONSENT_TOO_MANY_REQUESTS: {
    vi: (p) =>
      `Hồ sơ này đã gửi ${p.count} yêu cầu đồng ý trong ${p.minutes} phút. Vui lòng đợi rồi gửi lại.`,
    en: (p) => `This dossier sent ${p.count} consent requests within ${p.minutes} minutes. Please wait.`,
  },
  CONSENT_REQUEST_NOT_FOUND: {
    vi: () => 'Không tìm thấy yêu cầu này, hoặc yêu cầu đã được trả lời hay đã hết hạn.',
    en: () => 'No such request, or it was already answered or has expired.',
  },
  SMS_GATEWAY_FAILED: {
    vi: () =>
      'Cổng tin nhắn SMS báo lỗi nên chưa gửi được mã cho công dân; chưa có sự đồng ý nào được ghi nhận. Vui lòng thử lại sau ít phút hoặc gửi yêu cầu lên Cổng dịch vụ công.',
    en: () =>
      'The SMS gateway answered with an error, so no code was sent and no consent recorded. Retry in a few minutes or use the portal request.',
  },
  SMS_GATEWAY_UNAVAILABLE: {
    vi: () =>
      'Không kết nối được cổng tin nhắn SMS (không trả lời hoặc chưa được cấu hình) nên chưa gửi được mã; chưa có sự đồng ý nào được ghi nhận. Vui lòng báo bộ phận kỹ thuật, hoặc gửi yêu cầu lên Cổng dịch vụ công.',
    en: () =>
      'The SMS gateway cannot be reached (no answer, or not configured), so no code was sent and no consent recorded. Tell the technical staff, or use the portal request.',
  },
  STORAGE_UNAVAILABLE: {
    vi: () =>
      'Máy chủ không ghi được dữ liệu (ổ đĩa đầy hoặc chỉ cho phép đọc); thao tác chưa được lưu. Vui lòng báo bộ phận kỹ thuật rồi thử lại.',
    en: () =>
      'The server cannot write (the disk is full or read-only); nothing was saved. Please tell the technical staff and retry.',
  },
  PDF_CHECKS_BUSY: {
    vi: () => 'Máy chủ đang bận kiểm tra các tệp PDF khác. Vui lòng thử lại sau ít phút.',
    en: () => 'The server is busy checking other PDF files. Please try again in a few minutes.',
  },
  PDF_CHECK_ABORTED: {
    vi: (p) => `Không kiểm tra được ${p.what}: ${p.reason}. ${p.advice}`,
    en: (p) => `${p.whatEn} could not be checked: ${p.reasonEn}. ${p.adviceEn}`,
  },
  INTERNAL: {
    vi: () => 'Đã có lỗi hệ thống. Vui lòng thử lại; nếu vẫn lỗi, hãy báo bộ phận kỹ thuật kèm mã yêu cầu.',
    en: () => 'Something went wrong on our side. Please retry; if it persists, report the request id.',
  },
};

/** The one error class services throw; never an HTTP error. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Params = {},
    readonly fields?: Record<string, string>,
    /** Machine-readable facts for the client, e.g. the current state and the allowed actions. */
    readonly details?: Record<string, unknown>,
  ) {
    super(MESSAGES[code].en(params));
    this.name = 'AppError';
  }
}

export function translateError(code: ErrorCode, language: Language, params: Params = {}): string {
  return MESSAGES[code][language](params);
}
