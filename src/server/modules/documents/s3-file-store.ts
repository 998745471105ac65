import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { DIGEST, type FileStore, sha256Of } from './file-store.ts';

export type S3FileStoreOptions = {
  bucket: string;
  region: string;
  /** An S3-compatible server's URL; AWS itself when absent. */
  endpoint?: string | undefined;
  /** Keys go under `<prefix>/files/…`; no leading or trailing slash. */
  prefix?: string | undefined;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`, as most self-hosted servers need. */
  forcePathStyle?: boolean | undefined;
  /** Tests only: otherwise the SDK's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, roles). */
  credentials?: S3ClientConfig['credentials'];
};

export type S3FileStore = FileStore & {
  readonly bucket: string;
  /** The object key of a digest: `[<prefix>/]files/ab/cd/<sha256>`. */
  keyOf(sha256: string): string;
  /** HeadBucket: resolves when the bucket answers, else throws S3BucketUnreachableError saying why. */
  checkBucket(): Promise<void>;
  /** Closes the client's sockets. */
  destroy(): void;
};

/** The start check failed: the message says which bucket, where, and what to look at. */
export class S3BucketUnreachableError extends Error {
  override name = 'S3BucketUnreachableError';
}

const CHECK_TIMEOUT_MS = 10_000;

/** The same content-addressed store as the local one, in an S3-compatible bucket. */
export function createS3FileStore(options: S3FileStoreOptions): S3FileStore {
  const { bucket } = options;
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? false,
    credentials: options.credentials,
    // Without these an S3 server that stops answering would hang an upload for ever.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
  const base = options.prefix ? `${options.prefix}/files` : 'files';
  const keyOf = (sha256: string) => `${base}/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;

  return {
    kind: 's3',
    bucket,
    keyOf,
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      const key = keyOf(sha256);
      if (await hasObject(client, bucket, key)) return sha256;
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: 'application/octet-stream',
          // A server that knows either header refuses bytes damaged on the way; others ignore them, and
          // get() checks the digest of what it reads back in any case.
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
        }),
      );
      return sha256;
    },
    async get(sha256) {
      if (!DIGEST.test(sha256)) return null;
      const key = keyOf(sha256);
      let bytes: Buffer;
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!answer.Body) throw new Error(`S3 object ${bucket}/${key} came back without a body`);
        bytes = Buffer.from(await answer.Body.transformToByteArray());
      } catch (err) {
        if (isMissingObject(err)) return null;
        throw err;
      }
      if (sha256Of(bytes) !== sha256) {
        throw new Error(
          `S3 object ${bucket}/${key} does not match its SHA-256: the stored bytes are damaged`,
        );
      }
      return bytes;
    },
    async checkBucket() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }), {
          abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
        });
      } catch (err) {
        const where = options.endpoint ? `at ${options.endpoint}` : `on AWS (${options.region})`;
        throw new S3BucketUnreachableError(
          `Không truy cập được bucket S3 "${bucket}" ${where} (S3 bucket not reachable): ${explain(err)}`,
          { cause: err },
        );
      }
    },
    destroy: () => client.destroy(),
  };
}

// Missing objects answer 404 only if the credentials may list the bucket (s3:ListBucket); without it
// AWS answers 403, which put() then reports rather than uploading blind.
async function hasObject(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (err) {
    if (isMissingObject(err)) return false;
    throw err;
  }
}

/** NoSuchKey, or a 404 without a body (HEAD); a missing bucket is an error, not a missing file. */
function isMissingObject(err: unknown): boolean {
  if (!(err instanceof S3ServiceException) || err.name === 'NoSuchBucket') return false;
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404;
}

function explain(err: unknown): string {
  if (err instanceof S3ServiceException) {
    const status = err.$metadata.httpStatusCode;
    if (status === 404) return 'the bucket does not exist (check MOTCUA_S3_BUCKET and MOTCUA_S3_ENDPOINT)';
    if (status === 403 || status === 401) {
      return 'access denied (check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the bucket policy)';
    }
    if (status === 301) return 'the bucket is in another region (check MOTCUA_S3_REGION)';
    return `the server answered ${status ?? '?'} ${err.name}`;
  }
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      return `no answer within ${CHECK_TIMEOUT_MS / 1000} s`;
    }
    if (err.name === 'CredentialsProviderError') {
      return 'no credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)';
    }
    const code = (err as NodeJS.ErrnoException).code;
    return code ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
