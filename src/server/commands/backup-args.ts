import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { checkBackupPassphrase } from '../modules/backup/seal-protection.ts';

/** The operator's passphrase: --passphrase-file FILE, else MOTCUA_BACKUP_PASSPHRASE; checked for length. */
export function readOperatorPassphrase(file: string | undefined, env = process.env): string | undefined {
  const given = file ? fs.readFileSync(file, 'utf8').trim() : env.MOTCUA_BACKUP_PASSPHRASE;
  return given === undefined ? undefined : checkBackupPassphrase(given);
}

export function parseBackupArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'passphrase-file': { type: 'string' },
      'no-seal': { type: 'boolean', default: false },
    },
  });
}

/** Ends the command with exit code 2 and a message (Vietnamese, then English), no stack. */
export function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
