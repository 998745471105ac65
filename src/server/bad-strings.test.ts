import { randomUUID } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './test-support/test-app.ts';
import { signInCitizen, startTestVneid } from './test-support/vneid.ts';

// Every route of the OpenAPI document gets NUL bytes and lone surrogates in each string it takes (body
// field, body key, path parameter, query parameter, multipart field and file name): none may answer 5xx.
// PostgreSQL refuses U+0000 in text and jsonb, and a lone surrogate cannot be encoded in UTF-8.

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  default?: unknown;
  additionalProperties?: Schema | boolean;
};
type Operation = {
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type Path = (string | number)[];

const BAD = { nul: 'a\u0000b', surrogate: 'a\ud800b' } as const;
// The same in a URL: %00, and the CESU-8 bytes of U+D800 (not UTF-8; the decoder must not choke).
const BAD_IN_URL = { nul: 'a%00b', surrogate: 'a%ED%A0%80b' } as const;
const NOW = new Date('2026-12-02T03:00:00Z');

/** A value the schema accepts, as far as a sample can; `leaves` collects the free-text string paths. */
function sample(schema: Schema | undefined, path: Path, leaves: Path[]): unknown {
  if (!schema) return 'a';
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options?.length) {
    const usable = options.find((o) => o.type !== 'null') ?? options[0];
    return sample(usable, path, leaves);
  }
  if (schema.allOf?.length) return sample(Object.assign({}, ...schema.allOf), path, leaves);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sample(v, [...path, k], leaves);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, (_, i) =>
        sample(schema.items, [...path, i], leaves),
      );
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string': {
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date') return '2026-12-02';
      if (schema.format === 'date-time') return NOW.toISOString();
      leaves.push(path);
      return 'a'.repeat(Math.max(1, schema.minLength ?? 1));
    }
    default:
      leaves.push(path);
      return 'a';
  }
}

function setAt(value: unknown, path: Path, leaf: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last === undefined) return leaf;
  at[last] = leaf;
  return copy;
}

let ctx: TestContext;
let vneid: Awaited<ReturnType<typeof startTestVneid>>;
const sessions: Record<string, Record<string, string>> = {};
let pdf: Buffer;

beforeAll(async () => {
  vneid = await startTestVneid();
  ctx = await createTestContext({
    now: () => NOW,
    vneid: vneid.client,
    loginRateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
    verifyRateLimitPerMinute: 1_000_000,
    trackingLimit: { max: 1_000_000, wrongFactMax: 1_000_000, windowMs: 60_000 },
  });
  for (const user of ['reception.30502', 'specialist.30502', 'leader.30502', 'admin.30502']) {
    sessions[user] = await ctx.login(user);
  }
  sessions['province.91'] = await ctx.login('province.91');
  sessions.sysadmin = await ctx.login('sysadmin');
  const citizen = await signInCitizen(ctx.app, 'dev-citizen-l2-an');
  if (!citizen.headers) throw new Error('citizen sign-in failed');
  sessions.citizen = citizen.headers;
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  pdf = Buffer.from(await doc.save());
}, 300_000);

afterAll(async () => {
  await ctx?.close();
  await vneid?.close();
});

const SKIP = /logout/;

function multipartBody(bad: 'nul' | 'surrogate', where: 'field' | 'filename') {
  const boundary = `----motcua${Math.random().toString(16).slice(2)}`;
  const badBytes = bad === 'nul' ? Buffer.from([0x61, 0, 0x62]) : Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62]);
  const good = Buffer.from('123456');
  const chunks: Buffer[] = [];
  for (const field of ['name', 'pin', 'password', 'kind', 'componentCode']) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n`),
      where === 'field' ? badBytes : good,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="`),
    where === 'filename' ? badBytes : Buffer.from('tep'),
    Buffer.from('.pdf"\r\nContent-Type: application/pdf\r\n\r\n'),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('NUL bytes and lone surrogates in any string', () => {
  it('answers 400 naming the field, in Vietnamese', async () => {
    for (const bad of Object.values(BAD)) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: bad, password: 'x' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.fields).toEqual({
        'body.username': 'Có ký tự không hợp lệ (ký tự NUL hoặc ký tự Unicode không đầy đủ)',
      });
    }
  });

  it('no route answers 5xx', async () => {
    const doc = (await ctx.app.inject({ url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    const failures: string[] = [];
    let sent = 0;
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (SKIP.test(template)) continue;
        const params = (op.parameters ?? []).filter((p) => p.in === 'path');
        const query = (op.parameters ?? []).filter((p) => p.in === 'query');
        const content = op.requestBody?.content ?? {};
        const jsonSchema = content['application/json']?.schema;
        const takesFiles = Object.keys(content).some((c) => c.startsWith('multipart/'));
        if (!params.length && !query.length && !jsonSchema && !takesFiles && method === 'get') continue;
        const leaves: Path[] = [];
        const body = jsonSchema ? sample(jsonSchema, [], leaves) : undefined;
        const baseParams = Object.fromEntries(params.map((p) => [p.name, String(sample(p.schema, [], []))]));
        const baseQuery = Object.fromEntries(query.map((p) => [p.name, String(sample(p.schema, [], []))]));
        const url = (p: Record<string, string>, q: Record<string, string>) => {
          const path = template.replace(/\{(\w+)\}/g, (_, n: string) => p[n] ?? 'a');
          const qs = Object.entries(q)
            .map(([k, v]) => `${encodeURIComponent(k)}=${v}`)
            .join('&');
          return qs ? `${path}?${qs}` : path;
        };
        const encodedParams = Object.fromEntries(
          Object.entries(baseParams).map(([k, v]) => [k, encodeURIComponent(v)]),
        );
        const encodedQuery = Object.fromEntries(
          Object.entries(baseQuery).map(([k, v]) => [k, encodeURIComponent(v)]),
        );
        // The session whose role the route needs: the first one it does not turn away.
        const send = async (headers: Record<string, string>, u: string, payload?: unknown, ct?: string) => {
          sent++;
          return ctx.app.inject({
            method: method.toUpperCase() as 'GET',
            url: u,
            headers: {
              ...headers,
              'idempotency-key': randomUUID(),
              ...(ct ? { 'content-type': ct } : {}),
            },
            ...(payload === undefined ? {} : { payload: payload as string }),
          });
        };
        let headers: Record<string, string> = {};
        for (const s of Object.values(sessions)) {
          const res = await send(s, url(encodedParams, encodedQuery), body);
          if (res.statusCode >= 500)
            failures.push(`${method} ${template} (valid sample) → ${res.statusCode}`);
          headers = s;
          if (res.statusCode !== 401 && res.statusCode !== 403) break;
        }
        for (const bad of ['nul', 'surrogate'] as const) {
          const variants: [string, () => Promise<{ statusCode: number }>][] = [];
          for (const leaf of leaves) {
            variants.push([
              `body.${leaf.join('.')}`,
              () =>
                send(
                  headers,
                  url(encodedParams, encodedQuery),
                  JSON.stringify(setAt(body, leaf, BAD[bad])),
                  'application/json',
                ),
            ]);
          }
          if (body && typeof body === 'object' && !Array.isArray(body)) {
            variants.push([
              'a body key',
              () =>
                send(
                  headers,
                  url(encodedParams, encodedQuery),
                  JSON.stringify({ ...body, [BAD[bad]]: 'a' }),
                  'application/json',
                ),
            ]);
          }
          for (const p of params) {
            variants.push([
              `params.${p.name}`,
              () => send(headers, url({ ...encodedParams, [p.name]: BAD_IN_URL[bad] }, encodedQuery), body),
            ]);
          }
          for (const q of query) {
            variants.push([
              `querystring.${q.name}`,
              () => send(headers, url(encodedParams, { ...encodedQuery, [q.name]: BAD_IN_URL[bad] }), body),
            ]);
          }
          if (takesFiles) {
            for (const where of ['field', 'filename'] as const) {
              variants.push([
                `multipart ${where}`,
                () => {
                  const form = multipartBody(bad, where);
                  return send(headers, url(encodedParams, encodedQuery), form.payload, form.contentType);
                },
              ]);
            }
          }
          for (const [what, run] of variants) {
            const res = await run();
            if (res.statusCode >= 500)
              failures.push(`${method} ${template} ${what} (${bad}) → ${res.statusCode}`);
          }
        }
      }
    }
    console.log(`bad-strings: ${sent} requests, ${failures.length} answered 5xx`);
    expect(sent).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  }, 600_000);
});
