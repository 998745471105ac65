import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SigningPin } from '../../../core/documents/result-details.ts';
import { AppError } from '../../../core/errors.ts';
import { AuthorityList, CredentialView, OwnCredential } from '../../../core/signing/credentials.schemas.ts';
import { actorOf, requireStaff } from '../../plugins/auth.ts';
import { errorResponses } from '../../plugins/openapi.ts';
import { readForm, theFile } from '../documents/http-files.ts';
import type { CredentialsService } from './credentials.service.ts';

const MAX_CERTIFICATE_BYTES = 256 * 1024;

/** A certificate upload: its file (`file`) and its text fields (PIN, password, name). */
async function readCertificateForm(request: FastifyRequest) {
  const { uploads, fields } = await readForm(request, { maxBytes: MAX_CERTIFICATE_BYTES });
  return { file: theFile(uploads).bytes, fields };
}

/** A field of the form checked by its schema, with the field named in the 400. */
function field<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new AppError('VALIDATION_FAILED', {}, { [`body.${name}`]: parsed.error.issues[0]?.message ?? '' });
  return parsed.data;
}

/** Officers' certificates and units' seals: see one's own, import from a licensed CA, or a demo one. */
export const credentialsRoutes: FastifyPluginAsyncZod<{
  credentials: CredentialsService;
  demo: boolean;
}> = async (app, { credentials, demo }) => {
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_CERTIFICATE_BYTES, files: 1, fields: 5 } });
  const errors = errorResponses(400, 401, 403, 404, 413, 422, 423);

  app.get(
    '/api/signing/credential',
    {
      schema: {
        tags: ['signing'],
        summary: "The signed-in officer's signing certificate (null when they have none)",
        response: { 200: OwnCredential, ...errors },
      },
    },
    async (request) => ({ credential: await credentials.getOwnCredential(requireStaff(request)) }),
  );

  app.post(
    '/api/signing/credential',
    {
      schema: {
        tags: ['signing'],
        summary:
          "Import one's own certificate from a licensed CA: a PKCS#12 file (`file`) and its password (`pin`)",
        description: 'The password becomes the signing PIN. The previous certificate, if any, is retired.',
        response: { 201: CredentialView, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { file, fields } = await readCertificateForm(request);
      const pin = field(SigningPin, fields.pin, 'pin');
      return reply.status(201).send(await credentials.importOfficerCredential(actor, file, pin));
    },
  );

  // Only a demo installation has a demo authority to issue from.
  if (demo)
    app.post(
      '/api/signing/credential/demo',
      {
        schema: {
          tags: ['signing'],
          summary: 'Demo only: have the demo certificate authority issue a certificate with the PIN chosen',
          description:
            'When the officer already has a certificate, its current PIN (`currentPin`) is required and counted as in signing: a locked certificate cannot be re-issued until the lock ends.',
          body: z.object({ pin: SigningPin, currentPin: z.string().max(100).optional() }),
          response: { 201: CredentialView, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await credentials.issueDemoOfficerCredential(
              actorOf(request),
              request.body.pin,
              request.body.currentPin,
            ),
          ),
    );

  app.post(
    '/api/units/:code/seal',
    {
      schema: {
        tags: ['signing'],
        summary: "Import a commune's seal certificate (PKCS#12 `file` and its `password`)",
        description:
          'For the commune administrator or centre director of the commune, its province administrator, or the system administrator. The seal is kept under the server passphrase.',
        params: z.object({ code: z.string().regex(/^\d{5}$/, { error: 'Mã xã gồm 5 chữ số' }) }),
        response: { 201: CredentialView, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { file, fields } = await readCertificateForm(request);
      const password = field(SigningPin, fields.password, 'password');
      return reply
        .status(201)
        .send(await credentials.importSealCredential(actor, request.params.code, file, password));
    },
  );

  app.get(
    '/api/signing/authorities',
    {
      schema: {
        tags: ['signing'],
        summary: 'The certificate authorities whose certificates this installation trusts',
        response: { 200: AuthorityList, ...errors },
      },
    },
    async (request) => {
      requireStaff(request);
      return { items: await credentials.listAuthorities() };
    },
  );

  app.post(
    '/api/signing/authorities',
    {
      schema: {
        tags: ['signing'],
        summary: "Trust a licensed CA's certificate (`file`, PEM or DER; `name`) — system administrator",
        response: { 201: AuthorityList, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { file, fields } = await readCertificateForm(request);
      const name = field(
        z.string().trim().min(2, { error: 'Nhập tên tổ chức chứng thực' }).max(200),
        fields.name,
        'name',
      );
      return reply.status(201).send({ items: await credentials.importAuthority(actor, name, file) });
    },
  );
};
