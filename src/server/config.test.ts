import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('keeps files in the data folder when no bucket is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', dataDir: path.resolve('./data'), s3: null });
  });

  it('reads the S3 settings, with the region and path style defaults', () => {
    expect(loadConfig({ MOTCUA_S3_BUCKET: 'motcua-files' }).s3).toEqual({
      bucket: 'motcua-files',
      endpoint: undefined,
      region: 'us-east-1',
      prefix: undefined,
      forcePathStyle: false,
    });
    const config = loadConfig({
      MOTCUA_S3_BUCKET: 'motcua.files-01',
      MOTCUA_S3_ENDPOINT: 'http://127.0.0.1:9000',
      MOTCUA_S3_REGION: 'ap-southeast-1',
      MOTCUA_S3_PREFIX: '/an-giang/30502/',
      MOTCUA_S3_FORCE_PATH_STYLE: 'yes',
    });
    expect(config.s3).toEqual({
      bucket: 'motcua.files-01',
      endpoint: 'http://127.0.0.1:9000',
      region: 'ap-southeast-1',
      prefix: 'an-giang/30502',
      forcePathStyle: true,
    });
  });

  it('reads the PDF worker pool settings, leaving the size to the pool by default', () => {
    expect(loadConfig({}).pdfWork).toEqual({ queueLimit: 8, jobTimeoutMs: 10_000 });
    expect(
      loadConfig({ MOTCUA_PDF_WORKERS: '2', MOTCUA_PDF_QUEUE: '0', MOTCUA_PDF_TIMEOUT_SECONDS: '30' })
        .pdfWork,
    ).toEqual({ size: 2, queueLimit: 0, jobTimeoutMs: 30_000 });
    expect(() => loadConfig({ MOTCUA_PDF_WORKERS: '0' })).toThrow(/MOTCUA_PDF_WORKERS/);
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ MOTCUA_S3_BUCKET: '', MOTCUA_S3_ENDPOINT: '', MOTCUA_S3_PREFIX: '' });
    expect(config.s3).toBeNull();
  });

  it.each([
    ['MOTCUA_S3_BUCKET', { MOTCUA_S3_BUCKET: 'Motcua_Files' }],
    ['MOTCUA_S3_BUCKET', { MOTCUA_S3_BUCKET: 'ab' }],
    ['MOTCUA_S3_BUCKET', { MOTCUA_S3_BUCKET: '-motcua' }],
    ['MOTCUA_S3_ENDPOINT', { MOTCUA_S3_BUCKET: 'motcua', MOTCUA_S3_ENDPOINT: 'minio:9000' }],
    ['MOTCUA_S3_ENDPOINT', { MOTCUA_S3_BUCKET: 'motcua', MOTCUA_S3_ENDPOINT: 'ftp://minio:9000' }],
    ['MOTCUA_S3_FORCE_PATH_STYLE', { MOTCUA_S3_BUCKET: 'motcua', MOTCUA_S3_FORCE_PATH_STYLE: 'on' }],
    ['MOTCUA_S3_PREFIX', { MOTCUA_S3_BUCKET: 'motcua', MOTCUA_S3_PREFIX: 'a//b' }],
    ['MOTCUA_S3_PREFIX', { MOTCUA_S3_BUCKET: 'motcua', MOTCUA_S3_PREFIX: 'a/../b' }],
    ['MOTCUA_S3_PREFIX', { MOTCUA_S3_BUCKET: 'motcua', MOTCUA_S3_PREFIX: 'hồ sơ' }],
    ['MOTCUA_S3_PREFIX', { MOTCUA_S3_BUCKET: 'motcua', MOTCUA_S3_PREFIX: '/' }],
  ])('refuses a bad %s (%j)', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`invalid configuration\\):\\n  ${variable}: `));
  });

  it('says what an endpoint should look like', () => {
    expect(() => loadConfig({ MOTCUA_S3_BUCKET: 'motcua', MOTCUA_S3_ENDPOINT: 'minio:9000' })).toThrow(
      'MOTCUA_S3_ENDPOINT: an http(s) URL, e.g. http://127.0.0.1:9000',
    );
  });

  it('refuses S3 settings without a bucket, naming them', () => {
    expect(() =>
      loadConfig({ MOTCUA_S3_ENDPOINT: 'http://127.0.0.1:9000', MOTCUA_S3_FORCE_PATH_STYLE: 'true' }),
    ).toThrow('  MOTCUA_S3_BUCKET: required with MOTCUA_S3_ENDPOINT, MOTCUA_S3_FORCE_PATH_STYLE');
    expect(() => loadConfig({ MOTCUA_S3_REGION: 'eu-west-1' })).toThrow(
      'MOTCUA_S3_BUCKET: required with MOTCUA_S3_REGION',
    );
  });
});

describe('TRUST_PROXY', () => {
  it('takes a number of hops or the proxies’ addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.0.0/24,::1' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.0.0.0/24',
      '::1',
    ]);
  });

  it('refuses true, which would trust every hop, saying what to give instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY: TRUST_PROXY=true .*number of proxies/,
    );
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.lan' })).toThrow(/TRUST_PROXY: a number of proxy hops/);
  });
});
