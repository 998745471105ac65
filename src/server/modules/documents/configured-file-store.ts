import path from 'node:path';
import type { AppConfig } from '../../config.ts';
import { createLocalFileStore, type FileStore } from './file-store.ts';
import { createS3FileStore } from './s3-file-store.ts';

/**
 * The store the configuration names: the S3 bucket when MOTCUA_S3_BUCKET is set, checked before the
 * server starts (S3BucketUnreachableError says why it cannot be reached), else `<dataDir>/files`.
 */
export async function createConfiguredFileStore(config: AppConfig): Promise<FileStore> {
  if (!config.s3) return createLocalFileStore(path.join(config.dataDir, 'files'));
  const store = createS3FileStore(config.s3);
  try {
    await store.checkBucket();
  } catch (err) {
    store.destroy();
    throw err;
  }
  return store;
}
