/**
 * A child process for the durability tests, run under strace: stores one scan in a local file store and
 * generates the seal passphrase, each between marks on stderr, in the folder given as argv[2].
 */
import fs from 'node:fs';
import path from 'node:path';
import { createLocalFileStore } from '../modules/documents/file-store.ts';
import { resolveSealPassphrase } from '../modules/signing/seal-passphrase.ts';

const say = (line: string) => fs.writeSync(2, `${line}\n`);
const dir = process.argv[2] as string;

say('PUT-START');
const sha256 = await createLocalFileStore(path.join(dir, 'files')).put(new TextEncoder().encode('scan'));
say(`PUT-DONE ${sha256}`);
say('SEAL-START');
await resolveSealPassphrase(undefined, dir);
say('SEAL-DONE');
