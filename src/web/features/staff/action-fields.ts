import type { DossierAction } from '../../../core/dossiers/dossier-actions.ts';

export type FieldKind =
  | 'note'
  | 'reasons'
  | 'reason'
  | 'components'
  | 'date'
  | 'datetime'
  | 'assignee'
  | 'assigneeOptional'
  | 'amount'
  | 'text'
  | 'days'
  | 'recipient'
  | 'method';

export type FieldSpec = { name: string; kind: FieldKind; label: string };

/** The fields each action asks for, in the order of its schema in src/core/dossiers/dossier-inputs.ts. */
export const ACTION_FIELDS: Record<DossierAction, FieldSpec[]> = {
  receive: [{ name: 'note', kind: 'note', label: 'dossier.note' }],
  refuse: [
    { name: 'reasons', kind: 'reasons', label: 'dossier.reasons' },
    { name: 'note', kind: 'note', label: 'dossier.note' },
  ],
  'request-supplement': [
    { name: 'reasons', kind: 'reasons', label: 'dossier.reasons' },
    { name: 'missingComponents', kind: 'components', label: 'dossier.missingComponents' },
    { name: 'applicantDeadline', kind: 'date', label: 'dossier.applicantDeadline' },
    { name: 'note', kind: 'note', label: 'dossier.note' },
  ],
  'supplement-received': [{ name: 'note', kind: 'note', label: 'dossier.note' }],
  assign: [
    { name: 'assigneeId', kind: 'assignee', label: 'dossier.assignee' },
    { name: 'note', kind: 'note', label: 'dossier.note' },
  ],
  forward: [
    { name: 'assigneeId', kind: 'assigneeOptional', label: 'dossier.assigneeOptional' },
    { name: 'note', kind: 'note', label: 'dossier.note' },
  ],
  'return-step': [
    { name: 'reason', kind: 'reason', label: 'dossier.reason' },
    { name: 'assigneeId', kind: 'assigneeOptional', label: 'dossier.assigneeOptional' },
  ],
  'request-payment': [
    { name: 'amountVnd', kind: 'amount', label: 'dossier.amount' },
    { name: 'description', kind: 'text', label: 'dossier.description' },
  ],
  'payment-received': [
    { name: 'receiptNo', kind: 'text', label: 'dossier.receiptNo' },
    { name: 'note', kind: 'note', label: 'dossier.note' },
  ],
  transfer: [
    { name: 'agency', kind: 'text', label: 'dossier.agency' },
    { name: 'subDeadlineDays', kind: 'days', label: 'dossier.subDeadlineDays' },
    { name: 'note', kind: 'note', label: 'dossier.note' },
  ],
  'receive-back': [{ name: 'note', kind: 'note', label: 'dossier.note' }],
  approve: [{ name: 'note', kind: 'note', label: 'dossier.note' }],
  'result-ready': [{ name: 'note', kind: 'note', label: 'dossier.note' }],
  'return-result': [
    { name: 'recipientName', kind: 'recipient', label: 'dossier.recipientName' },
    { name: 'method', kind: 'method', label: 'dossier.method' },
    { name: 'note', kind: 'note', label: 'dossier.note' },
  ],
  withdraw: [{ name: 'reason', kind: 'reason', label: 'dossier.reason' }],
  stop: [{ name: 'reason', kind: 'reason', label: 'dossier.reason' }],
  apologize: [
    { name: 'reason', kind: 'reason', label: 'dossier.reason' },
    { name: 'newDueAt', kind: 'datetime', label: 'dossier.newDueAt' },
  ],
};

/** The request body from what was typed: empty fields left out, lines split, numbers read, times in +07:00. */
export function toActionBody(fields: FieldSpec[], values: Record<string, string | string[]>) {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = values[f.name];
    if (raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) continue;
    switch (f.kind) {
      case 'reasons':
        body[f.name] = String(raw)
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        break;
      case 'components':
        body[f.name] = raw;
        break;
      case 'assignee':
      case 'assigneeOptional':
      case 'amount':
      case 'days':
        body[f.name] = Number(raw);
        break;
      case 'datetime':
        // <input type="datetime-local"> gives 2025-07-20T17:00: Vietnam's wall clock.
        body[f.name] = `${String(raw)}:00+07:00`;
        break;
      default:
        body[f.name] = raw;
    }
  }
  return body;
}
