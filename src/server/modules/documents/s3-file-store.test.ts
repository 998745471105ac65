import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config.ts';
import { createConfiguredFileStore } from './configured-file-store.ts';
import { createS3FileStore, S3BucketUnreachableError, type S3FileStore } from './s3-file-store.ts';

// s3rver's default account: it checks every request's signature against it.
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const BUCKET = 'motcua-files';

type Request = { method: string; url: string; headers: IncomingHttpHeaders };
const requests: Request[] = [];
let folder: string;
let http: Server;
let endpoint: string;
let raw: S3Client;
const stores: S3FileStore[] = [];

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'motcua-s3rver-'));
  const s3 = new S3rver({
    silent: true,
    directory: folder,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  await s3.configureBuckets();
  // s3rver's own handler behind a server of ours, which records every request it gets.
  const handle = s3.callback();
  http = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handle(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  raw = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
});

afterAll(async () => {
  for (const store of stores) store.destroy();
  raw?.destroy();
  await new Promise((resolve) => http?.close(resolve));
  if (folder) rmSync(folder, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

function openStore(options: { bucket?: string; prefix?: string } = {}) {
  const store = createS3FileStore({
    bucket: options.bucket ?? BUCKET,
    prefix: options.prefix,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials,
  });
  stores.push(store);
  return store;
}

/** The requests made while `work` ran, as "METHOD path" lines (query strings dropped). */
async function requestsDuring(work: () => Promise<unknown>) {
  const first = requests.length;
  await work();
  return requests.slice(first);
}
const lines = (list: Request[]) => list.map((r) => `${r.method} ${r.url.split('?')[0]}`);

async function readObject(key: string) {
  const answer = await raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await (answer.Body?.transformToByteArray() ?? new Uint8Array()));
}

async function listKeys(prefix: string) {
  const answer = await raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (answer.Contents ?? []).map((o) => o.Key);
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('S3 file store (s3rver)', () => {
  it('stores the bytes under files/ab/cd/<sha256> and returns their SHA-256', async () => {
    const store = openStore();
    const bytes = randomBytes(2048);
    const digest = sha256Hex(bytes);

    expect(store.kind).toBe('s3');
    expect(await store.put(bytes)).toBe(digest);

    const key = `files/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`;
    expect(store.keyOf(digest)).toBe(key);
    expect(await readObject(key)).toEqual(bytes);
    expect(await listKeys(`files/${digest.slice(0, 2)}/`)).toContain(key);
    expect(await store.get(digest)).toEqual(bytes);
  });

  it('puts keys under the configured prefix', async () => {
    const store = openStore({ prefix: 'commune-30502/prod' });
    const bytes = Buffer.from('%PDF-1.7 tờ khai');
    const digest = await store.put(bytes);

    const key = `commune-30502/prod/files/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`;
    expect(await listKeys('commune-30502/')).toEqual([key]);
    expect(await readObject(key)).toEqual(bytes);
    expect(await store.get(digest)).toEqual(bytes);
  });

  it('sends the SHA-256 and MD5 of the bytes, for servers that check them', async () => {
    const store = openStore();
    const bytes = randomBytes(100);
    const sent = await requestsDuring(() => store.put(bytes));
    const upload = sent.find((r) => r.method === 'PUT');
    expect(upload?.headers['x-amz-checksum-sha256']).toBe(
      createHash('sha256').update(bytes).digest('base64'),
    );
    expect(upload?.headers['content-md5']).toBe(createHash('md5').update(bytes).digest('base64'));
  });

  it('stores the same bytes once: the second put asks, and uploads nothing', async () => {
    const store = openStore({ prefix: 'twice' });
    const bytes = randomBytes(4096);
    const digest = sha256Hex(bytes);
    const key = store.keyOf(digest);

    const firstPut = await requestsDuring(() => store.put(bytes));
    expect(lines(firstPut)).toEqual([`HEAD /${BUCKET}/${key}`, `PUT /${BUCKET}/${key}`]);
    const before = await raw.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));

    // Past the next second, so that a second upload would show in LastModified too.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const secondPut = await requestsDuring(async () => expect(await store.put(bytes)).toBe(digest));
    expect(lines(secondPut)).toEqual([`HEAD /${BUCKET}/${key}`]);

    const after = await raw.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(after.LastModified).toEqual(before.LastModified);
    expect(await listKeys('twice/')).toEqual([key]);
  });

  it('answers null for a digest it does not hold', async () => {
    const store = openStore();
    const unknown = sha256Hex(Buffer.from('never stored'));
    const sent = await requestsDuring(async () => expect(await store.get(unknown)).toBeNull());
    expect(lines(sent)).toEqual([`GET /${BUCKET}/${store.keyOf(unknown)}`]);
  });

  it('answers null for a malformed digest without asking the server', async () => {
    const store = openStore();
    const digest = await store.put(Buffer.from('x'));
    for (const bad of [
      '',
      'abc',
      digest.toUpperCase(),
      `${digest}0`,
      `../${digest.slice(3)}`,
      'g'.repeat(64),
    ]) {
      const sent = await requestsDuring(async () => expect(await store.get(bad)).toBeNull());
      expect(sent).toEqual([]);
    }
  });

  it('throws, not null, when the bucket itself is missing', async () => {
    const store = openStore({ bucket: 'no-such-bucket' });
    await expect(store.get(sha256Hex(Buffer.from('x')))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(store.put(Buffer.from('x'))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('refuses to return bytes that do not match their digest', async () => {
    const store = openStore({ prefix: 'damaged' });
    const digest = sha256Hex(Buffer.from('the original'));
    await raw.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: store.keyOf(digest), Body: 'something else' }),
    );
    await expect(store.get(digest)).rejects.toThrow(/does not match its SHA-256/);
  });
});

describe('the configured store at start', () => {
  const s3Env = (bucket: string) => ({
    MOTCUA_DATA_DIR: folder,
    MOTCUA_S3_BUCKET: bucket,
    MOTCUA_S3_ENDPOINT: endpoint,
    MOTCUA_S3_FORCE_PATH_STYLE: 'true',
  });

  it('opens the bucket with the credentials of the AWS environment variables', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
    const store = await createConfiguredFileStore(loadConfig(s3Env(BUCKET)));
    expect(store.kind).toBe('s3');
    const bytes = randomBytes(64);
    const digest = await store.put(bytes);
    expect(await readObject(`files/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`)).toEqual(bytes);
    (store as S3FileStore).destroy();
  });

  it('stops with a clear message when the bucket does not exist', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
    const start = createConfiguredFileStore(loadConfig(s3Env('wrong-bucket')));
    await expect(start).rejects.toBeInstanceOf(S3BucketUnreachableError);
    await expect(start).rejects.toThrow(
      `Không truy cập được bucket S3 "wrong-bucket" at ${endpoint} (S3 bucket not reachable): ` +
        'the bucket does not exist (check MOTCUA_S3_BUCKET and MOTCUA_S3_ENDPOINT)',
    );
  });

  it('stops with a clear message when the credentials are refused', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'NOT-AN-ACCOUNT');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'nope');
    await expect(createConfiguredFileStore(loadConfig(s3Env(BUCKET)))).rejects.toThrow(
      /"motcua-files" .*: access denied \(check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY/,
    );
  });

  it('stops with a clear message when nothing answers at the endpoint', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const env = { ...s3Env(BUCKET), MOTCUA_S3_ENDPOINT: `http://127.0.0.1:${port}` };
    await expect(createConfiguredFileStore(loadConfig(env))).rejects.toThrow(/: ECONNREFUSED/);
  });

  it('keeps files in <data folder>/files without a bucket', async () => {
    const store = await createConfiguredFileStore(loadConfig({ MOTCUA_DATA_DIR: folder }));
    expect(store.kind).toBe('local');
  });
});
