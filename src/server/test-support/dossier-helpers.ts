import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** A well-formed applicant: the citizen ID encodes An Giang (089), a man born in 1985. */
export const APPLICANT = {
  citizenId: '089085000123',
  fullName: 'Nguyễn Văn Đức',
  dateOfBirth: '1985-03-02',
  phone: '0912345678',
  address: 'Số 12, khóm Thới Hòa',
  addressCommuneCode: '30502',
};

/** Business household registration: three working days, specialist → department head → commune leader. */
export const HOUSEHOLD = '1.001612';
export const BIRTH = '1.001193';
export const LAND = '1.013978';

/** What the leader fills in when signing a birth registration's result (the birth extract's template). */
export const BIRTH_DETAILS = {
  childName: 'Nguyễn Ngọc Hân',
  childDateOfBirth: '2026-11-20',
  childSex: 'nữ',
  placeOfBirth: 'Bệnh viện Đa khoa khu vực tỉnh An Giang',
  motherName: 'Lê Thị Thu Trang',
  fatherName: 'Nguyễn Văn Đức',
};

export function intakeBody(overrides: Record<string, unknown> = {}) {
  return {
    procedureCode: HOUSEHOLD,
    channel: 'counter',
    applicant: APPLICANT,
    components: ['giay_de_nghi'],
    ...overrides,
  };
}

export type Headers = Record<string, string>;

export function postIntake(app: FastifyInstance, headers: Headers, body: object, key: string = randomUUID()) {
  return app.inject({
    method: 'POST',
    url: '/api/dossiers',
    headers: { ...headers, 'idempotency-key': key },
    payload: body,
  });
}

export function postAction(
  app: FastifyInstance,
  headers: Headers,
  id: number,
  action: string,
  body: object = {},
  key?: string,
) {
  return app.inject({
    method: 'POST',
    url: `/api/dossiers/${id}/actions/${action}`,
    headers: key ? { ...headers, 'idempotency-key': key } : headers,
    payload: body,
  });
}

/** A settable clock for buildApp({ now }); tests move it forward. */
export function createClock(start: string) {
  let current = new Date(start);
  return {
    now: () => current,
    set(iso: string) {
      current = new Date(iso);
    },
  };
}
