/** The internal workflow states; each maps to one national status code (1–10). */
export const DOSSIER_STATES = [
  'submitted',
  'received',
  'refused',
  'in_progress',
  'transferred',
  'approved',
  'awaiting_supplement',
  'awaiting_payment',
  'withdrawn',
  'stopped',
  'result_ready',
  'returned',
] as const;
export type DossierStateName = (typeof DOSSIER_STATES)[number];

export const NATIONAL_STATUS: Record<DossierStateName, number> = {
  submitted: 1,
  received: 2,
  refused: 3,
  in_progress: 4,
  transferred: 4,
  approved: 4,
  awaiting_supplement: 5,
  awaiting_payment: 6,
  withdrawn: 7,
  stopped: 8,
  result_ready: 9,
  returned: 10,
};

export const NATIONAL_STATUS_NAMES: Record<number, { vi: string; en: string }> = {
  1: { vi: 'Mới đăng ký', en: 'Newly registered' },
  2: { vi: 'Được tiếp nhận', en: 'Received' },
  3: { vi: 'Không được tiếp nhận', en: 'Not received' },
  4: { vi: 'Đang xử lý', en: 'Being processed' },
  5: { vi: 'Yêu cầu bổ sung giấy tờ', en: 'Supplement requested' },
  6: { vi: 'Yêu cầu thực hiện nghĩa vụ tài chính', en: 'Financial obligation requested' },
  7: { vi: 'Công dân yêu cầu rút hồ sơ', en: 'Withdrawn by the applicant' },
  8: { vi: 'Dừng xử lý', en: 'Handling stopped' },
  9: { vi: 'Đã xử lý xong', en: 'Processed, result ready' },
  10: { vi: 'Đã trả kết quả', en: 'Result returned' },
};

export const STATE_NAMES_VI: Record<DossierStateName, string> = {
  submitted: 'Mới đăng ký, chờ tiếp nhận',
  received: 'Đã tiếp nhận, chờ phân công',
  refused: 'Từ chối tiếp nhận',
  in_progress: 'Đang xử lý',
  transferred: 'Đang chuyển cơ quan khác (liên thông)',
  approved: 'Đã phê duyệt, đang hoàn thiện kết quả',
  awaiting_supplement: 'Chờ công dân bổ sung',
  awaiting_payment: 'Chờ thực hiện nghĩa vụ tài chính',
  withdrawn: 'Công dân rút hồ sơ',
  stopped: 'Dừng xử lý',
  result_ready: 'Có kết quả, chờ trả',
  returned: 'Đã trả kết quả',
};

export const TERMINAL_STATES: ReadonlySet<DossierStateName> = new Set([
  'refused',
  'withdrawn',
  'stopped',
  'returned',
]);

/** States in which the legal clock is running. */
export const CLOCK_RUNNING_STATES: ReadonlySet<DossierStateName> = new Set([
  'received',
  'in_progress',
  'transferred',
  'approved',
]);

export const CHANNELS = ['counter', 'online', 'postal'] as const;
export type Channel = (typeof CHANNELS)[number];
