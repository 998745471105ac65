import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The openssl command line (Debian's OpenSSL 3): a real CA, TSA and PKCS#12 maker for tests. */
export const openssl = (...args: string[]) => run('openssl', args);

/** Files of one test PKI, all in `dir`: `name.key`, `name.csr`, `name.pem`, `name.p12`. */
export function opensslFiles(dir: string) {
  const at = (file: string) => path.join(dir, file);
  return {
    at,
    /** A self-signed CA certificate (`name.pem`, `name.key`). */
    async rootCa(name: string, subject: string) {
      await openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        at(`${name}.key`),
        '-out',
        at(`${name}.pem`),
        '-days',
        '3650',
        '-subj',
        subject,
        '-utf8',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      );
    },
    /** A key and a certificate for `subject` issued by the CA `ca`, with extensions in `extensions`. */
    async issue(name: string, subject: string, ca: string, extensions?: string) {
      await openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        at(`${name}.key`),
        '-out',
        at(`${name}.csr`),
        '-subj',
        subject,
        '-utf8',
      );
      const ext = extensions ? ['-extfile', at(`${name}.ext`)] : [];
      if (extensions) writeFileSync(at(`${name}.ext`), extensions);
      await openssl(
        'x509',
        '-req',
        '-in',
        at(`${name}.csr`),
        '-CA',
        at(`${ca}.pem`),
        '-CAkey',
        at(`${ca}.key`),
        '-CAcreateserial',
        '-out',
        at(`${name}.pem`),
        '-days',
        '365',
        ...ext,
      );
    },
    /** `name.p12`: the key, its certificate and the CA's, under `password`. */
    async pkcs12(name: string, ca: string, password: string) {
      await openssl(
        'pkcs12',
        '-export',
        '-inkey',
        at(`${name}.key`),
        '-in',
        at(`${name}.pem`),
        '-certfile',
        at(`${ca}.pem`),
        '-out',
        at(`${name}.p12`),
        '-passout',
        `pass:${password}`,
      );
    },
  };
}
