import type { ActorRole, StaffRole } from '../identity/roles.ts';
import type { DossierStateName } from './dossier-status.ts';

export const DOSSIER_ACTIONS = [
  'receive',
  'refuse',
  'request-supplement',
  'supplement-received',
  'assign',
  'forward',
  'return-step',
  'request-payment',
  'payment-received',
  'transfer',
  'receive-back',
  'approve',
  'result-ready',
  'return-result',
  'withdraw',
  'stop',
  'apologize',
] as const;
export type DossierAction = (typeof DOSSIER_ACTIONS)[number];

export const ACTION_NAMES_VI: Record<DossierAction, string> = {
  receive: 'Tiếp nhận',
  refuse: 'Từ chối tiếp nhận',
  'request-supplement': 'Yêu cầu bổ sung',
  'supplement-received': 'Nhận bổ sung',
  assign: 'Phân công',
  forward: 'Chuyển bước tiếp theo',
  'return-step': 'Trả lại bước trước',
  'request-payment': 'Yêu cầu thực hiện nghĩa vụ tài chính',
  'payment-received': 'Đã thực hiện nghĩa vụ tài chính',
  transfer: 'Chuyển cơ quan phối hợp',
  'receive-back': 'Nhận lại từ cơ quan phối hợp',
  approve: 'Phê duyệt',
  'result-ready': 'Có kết quả',
  'return-result': 'Trả kết quả',
  withdraw: 'Rút hồ sơ',
  stop: 'Dừng xử lý',
  apologize: 'Xin lỗi, hẹn lại ngày trả',
};

/** Which states each action may start from (the step and role checks come on top). */
export const ACTION_FROM: Record<DossierAction, readonly DossierStateName[]> = {
  receive: ['submitted'],
  refuse: ['submitted', 'received'],
  'request-supplement': ['submitted', 'received', 'in_progress'],
  'supplement-received': ['awaiting_supplement'],
  assign: ['received', 'in_progress'],
  forward: ['in_progress'],
  'return-step': ['in_progress'],
  'request-payment': ['in_progress'],
  'payment-received': ['awaiting_payment'],
  transfer: ['in_progress'],
  'receive-back': ['transferred'],
  approve: ['in_progress'],
  'result-ready': ['approved'],
  'return-result': ['result_ready'],
  withdraw: [
    'submitted',
    'received',
    'in_progress',
    'transferred',
    'approved',
    'awaiting_supplement',
    'awaiting_payment',
  ],
  stop: ['received', 'in_progress', 'transferred', 'awaiting_supplement', 'awaiting_payment'],
  apologize: [
    'received',
    'in_progress',
    'transferred',
    'approved',
    'awaiting_supplement',
    'awaiting_payment',
  ],
};

/**
 * Which roles may take each action. 'step' means: the role of the procedure's current step (forward,
 * return to the previous step, approve at the last step); the checks in the machine add the step rules.
 */
export const ACTION_ROLES: Record<DossierAction, readonly ActorRole[] | 'step'> = {
  receive: ['reception_officer', 'centre_director'],
  refuse: ['reception_officer', 'centre_director'],
  'request-supplement': ['reception_officer', 'specialist', 'department_head', 'centre_director'],
  // The applicant hands in an online supplement themselves.
  'supplement-received': ['reception_officer', 'specialist', 'centre_director', 'citizen'],
  assign: ['reception_officer', 'department_head', 'commune_leader', 'centre_director'],
  forward: 'step',
  'return-step': 'step',
  'request-payment': ['specialist', 'reception_officer'],
  'payment-received': ['specialist', 'reception_officer'],
  transfer: ['specialist', 'department_head'],
  'receive-back': ['specialist', 'department_head'],
  approve: 'step',
  'result-ready': ['reception_officer', 'specialist', 'centre_director'],
  'return-result': ['reception_officer', 'centre_director'],
  withdraw: ['reception_officer', 'centre_director'],
  stop: ['commune_leader', 'centre_director'],
  apologize: ['commune_leader', 'centre_director'],
};

/** Roles that work on a commune's dossiers (the others only read, at most). */
export const COMMUNE_HANDLING_ROLES: ReadonlySet<StaffRole> = new Set([
  'reception_officer',
  'specialist',
  'department_head',
  'commune_leader',
  'centre_director',
]);

/** Who may register a new dossier: the counter, the director, and volunteers for assisted online filing. */
export const INTAKE_ROLES: ReadonlySet<StaffRole> = new Set([
  'reception_officer',
  'centre_director',
  'support_volunteer',
]);
