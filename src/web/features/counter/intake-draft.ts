import { newIdempotencyKey } from '../../api/client.ts';

/** What the officer has typed: kept in the tab's storage so a reload or a server error loses nothing. */
export type IntakeDraft = {
  procedureCode: string;
  procedureName: string;
  citizenId: string;
  fullName: string;
  dateOfBirth: string;
  phone: string;
  email: string;
  /** The citizen agrees to be told by Zalo/SMS and e-mail what happens to the dossier (on unless refused). */
  notify: boolean;
  address: string;
  addressCommuneCode: string;
  components: string[];
  feesPaidVnd: string;
  note: string;
  reasons: string;
  /** Filed online for the citizen who is present (a volunteer always does so), with their consent. */
  assisted: boolean;
  consent: boolean;
  assistedNote: string;
  /** One key per dossier being received: a retried submit is the same dossier. */
  idempotencyKey: string;
};

const KEY = 'motcua.intakeDraft';

export function emptyDraft(): IntakeDraft {
  return {
    procedureCode: '',
    procedureName: '',
    citizenId: '',
    fullName: '',
    dateOfBirth: '',
    phone: '',
    email: '',
    notify: true,
    address: '',
    addressCommuneCode: '',
    components: [],
    feesPaidVnd: '',
    note: '',
    reasons: '',
    assisted: false,
    consent: false,
    assistedNote: '',
    idempotencyKey: newIdempotencyKey(),
  };
}

export function loadDraft(): IntakeDraft {
  try {
    const saved = sessionStorage.getItem(KEY);
    if (saved) return { ...emptyDraft(), ...(JSON.parse(saved) as Partial<IntakeDraft>) };
  } catch {
    // A damaged or blocked store: start afresh.
  }
  return emptyDraft();
}

export function saveDraft(draft: IntakeDraft) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Storage full or blocked: the draft lives in memory only.
  }
}

export function clearDraft() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing to clear.
  }
}

/** The request body from the draft: blanks left out, so the schema names what is missing. */
export function toIntakeInput(d: IntakeDraft, outcome?: 'request-supplement' | 'refuse') {
  const applicant: Record<string, unknown> = {
    citizenId: d.citizenId.trim(),
    fullName: d.fullName.trim(),
    dateOfBirth: d.dateOfBirth,
    address: d.address.trim(),
  };
  if (d.phone.trim()) applicant.phone = d.phone.trim();
  if (d.email.trim()) applicant.email = d.email.trim();
  if (!d.notify) applicant.notify = false;
  if (d.addressCommuneCode) applicant.addressCommuneCode = d.addressCommuneCode;
  const input: Record<string, unknown> = {
    procedureCode: d.procedureCode,
    channel: d.assisted ? 'online' : 'counter',
    applicant,
    components: d.components,
  };
  if (d.assisted) {
    input.assisted = {
      consent: d.consent,
      ...(d.assistedNote.trim() ? { note: d.assistedNote.trim() } : {}),
    };
  }
  if (d.feesPaidVnd !== '') input.feesPaidVnd = Number(d.feesPaidVnd);
  if (d.note.trim()) input.note = d.note.trim();
  if (outcome) {
    input.outcome = {
      action: outcome,
      reasons: d.reasons
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    };
  }
  return input;
}
