import type { CitizenMe, Draft } from '../../../api/citizen.ts';
import { newIdempotencyKey } from '../../../api/client.ts';
import { readSession, removeSession, writeSession } from '../session-store.ts';

/** What the citizen types in the wizard; saved on the server as the draft's `data`. */
export type OnlineDraft = {
  phone: string;
  email: string;
  /** Messages about the dossier by Zalo/SMS and e-mail: on unless the citizen unticks it. */
  notify: boolean;
  address: string;
  addressCommuneCode: string;
  note: string;
  /** The wizard step to reopen at (1–3). */
  step: number;
  /** One key per intended submission: a retry after a lost answer never files twice. */
  idempotencyKey: string;
};

/** This tab's copy: typing done offline survives a reload, and a submission under way is remembered. */
type Local = { data: OnlineDraft; changedAt: number; synced: boolean; submittingSince?: string };

const text = (v: unknown) => (typeof v === 'string' ? v : '');

function fromCitizen(me: CitizenMe): OnlineDraft {
  return {
    phone: me.citizen.phone ?? '',
    email: me.citizen.email ?? '',
    notify: true,
    address: me.citizen.address ?? '',
    addressCommuneCode: '',
    note: '',
    step: 1,
    idempotencyKey: newIdempotencyKey(),
  };
}

function fromData(data: Record<string, unknown>, me: CitizenMe): OnlineDraft {
  // A draft made by uploading a paper first has no typed data yet: start from VNeID.
  if (Object.keys(data).length === 0) return fromCitizen(me);
  const step = Number(data.step);
  return {
    phone: text(data.phone),
    email: text(data.email),
    notify: data.notify !== false,
    address: text(data.address),
    addressCommuneCode: text(data.addressCommuneCode),
    note: text(data.note),
    step: Number.isInteger(step) && step >= 1 && step <= 3 ? step : 1,
    idempotencyKey: /^[A-Za-z0-9._:-]{8,200}$/.test(text(data.idempotencyKey))
      ? text(data.idempotencyKey)
      : newIdempotencyKey(),
  };
}

export function localKey(me: CitizenMe, code: string) {
  return `motcua.online.${me.citizen.id}.${code}`;
}

/**
 * Where the wizard starts: the server's draft, unless this tab holds newer typing that never reached it.
 * `pendingSince` is set when a submission was sent and the server's draft is gone: it was probably filed.
 */
export function startingDraft(server: Draft, me: CitizenMe, code: string) {
  const local = readSession<Local>(localKey(me, code));
  const unsynced = local && !local.synced ? local : null;
  if (server.updatedAt === null) {
    if (local?.submittingSince) return { data: local.data, pendingSince: local.submittingSince };
    return { data: unsynced ? unsynced.data : fromCitizen(me), pendingSince: null };
  }
  if (unsynced && unsynced.changedAt > Date.parse(server.updatedAt)) {
    return { data: unsynced.data, pendingSince: null };
  }
  return { data: fromData(server.data, me), pendingSince: null };
}

export function keepLocal(key: string, data: OnlineDraft, synced: boolean) {
  const local = readSession<Local>(key);
  writeSession(key, { ...local, data, changedAt: Date.now(), synced } satisfies Local);
}

export function markSynced(key: string, json: string) {
  const local = readSession<Local>(key);
  if (local && JSON.stringify(local.data) === json) writeSession(key, { ...local, synced: true });
}

/** Remembers when the first attempt to submit left, so a reload can find the dossier it made. */
export function markSubmitting(key: string, data: OnlineDraft) {
  const local = readSession<Local>(key);
  const since = local?.submittingSince ?? new Date().toISOString();
  writeSession(key, { data, changedAt: Date.now(), synced: local?.synced ?? false, submittingSince: since });
  return since;
}

export function forgetLocal(key: string) {
  removeSession(key);
}

/** The request body from the draft: blanks left out, so the schema names what is missing. */
export function toOnlineSubmission(code: string, d: OnlineDraft) {
  const contact: Record<string, string | boolean> = { address: d.address.trim() };
  if (d.phone.trim()) contact.phone = d.phone.trim();
  if (d.email.trim()) contact.email = d.email.trim();
  if (!d.notify) contact.notify = false;
  if (d.addressCommuneCode) contact.addressCommuneCode = d.addressCommuneCode;
  const input: Record<string, unknown> = { procedureCode: code, contact };
  if (d.note.trim()) input.note = d.note.trim();
  return input;
}
