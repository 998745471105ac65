/**
 * What the load driver sends, as plain data so that a group can cross into the driver's own process:
 * intakes of valid dossiers (a new Idempotency-Key each) or GETs over a list of paths. Kept free of the
 * app's modules so the driver process loads only autocannon and this file.
 */
import { randomBytes } from 'node:crypto';

export const PROCEDURE_CODE = process.env.BENCH_PROCEDURE ?? '1.001193';

export type Session = { cookie: string; 'x-csrf-token': string };

/** One autocannon instance: its connections send the group's requests in turn. */
export type LoadGroup =
  | {
      kind: 'intake';
      connections: number;
      session: Session;
      commune: string;
      /** The first applicant number of the group, so groups never send the same person twice. */
      offset: number;
      components: string[];
      /** The applicant leaves a mobile number (the notifications benchmark). */
      phone?: boolean;
    }
  | { kind: 'get'; connections: number; paths: string[] };

type LoadRequest = {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
};

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Hữu', 'Ngọc', 'Đức', 'Thanh'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hạnh', 'Khánh', 'Lan', 'Mai', 'Phúc', 'Quân', 'Sơn'];

/** A valid intake body, different for every n: a man born 1940–1999, ID registered in province 089. */
export function intakeBody(n: number, communeCode: string, components: string[], phone = false) {
  const year = 1940 + (n % 60);
  const serial = String((n * 7919) % 1_000_000).padStart(6, '0');
  return {
    procedureCode: PROCEDURE_CODE,
    channel: 'counter',
    applicant: {
      citizenId: `0890${String(year).slice(2)}${serial}`,
      fullName: `${FAMILY[n % FAMILY.length]} ${MIDDLE[n % MIDDLE.length]} ${GIVEN[n % GIVEN.length]}`,
      dateOfBirth: `${year}-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`,
      address: `Số ${(n % 200) + 1}, tổ ${(n % 12) + 1}`,
      addressCommuneCode: communeCode,
      ...(phone ? { phone: `09${String(10_000_000 + (n % 89_999_999)).padStart(8, '0')}` } : {}),
    },
    components,
  };
}

/** A unique Idempotency-Key for every request of the process. */
const RUN_ID = randomBytes(4).toString('hex');
let keySeq = 0;
export const nextIdempotencyKey = () => `bench-${RUN_ID}-${++keySeq}`;

/** The request builder of a group: request number n. */
export function requestsOf(group: LoadGroup): (n: number) => LoadRequest {
  if (group.kind === 'get') {
    const { paths } = group;
    return (n) => ({ method: 'GET', path: paths[n % paths.length] as string });
  }
  const { session, commune, offset, components, phone } = group;
  return (n) => ({
    method: 'POST',
    path: '/api/dossiers',
    headers: { ...session, 'content-type': 'application/json', 'idempotency-key': nextIdempotencyKey() },
    body: JSON.stringify(intakeBody(offset + n, commune, components, phone ?? false)),
  });
}
