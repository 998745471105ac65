import type { DialogField } from '../../../core/kernel/case-type.ts';

/** A field of an action's dialog, as the action's definition names it (src/core/dossiers/dossier-actions.ts). */
export type FieldSpec = DialogField;

/** The request body from what was typed: empty fields left out, lines split, numbers read, times in +07:00. */
export function toActionBody(fields: readonly FieldSpec[], values: Record<string, string | string[]>) {
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
