import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../core/errors.ts';

export { ErrorBody };

/** The error answers of a route, for its OpenAPI description: `errorResponses(400, 404)`. */
export function errorResponses<const S extends number>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as Record<S, typeof ErrorBody>;
}

/** OpenAPI generated from the same zod schemas that validate requests; UI at /api/docs. */
export async function registerOpenApi(app: FastifyInstance) {
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'MotCua API',
        description:
          'Một cửa: the one-stop shop of a commune Public Administration Service Centre. Errors: ' +
          '`{ error: { code, message, fields?, details? } }`, message in Vietnamese or English by Accept-Language. ' +
          'Staff writes need the session cookie and the `X-CSRF-Token` header from `POST /api/auth/login`.',
        version: '0.1.0',
      },
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'units', description: 'Administrative units and the 2025 merger crosswalk' },
        { name: 'villages', description: 'Villages and residential groups, with effective-dated names' },
        { name: 'calendar', description: 'The legal working-time clock' },
        { name: 'identity', description: 'Staff sign-in, CSRF token, password change' },
        { name: 'catalog', description: 'The administrative procedure catalogue, versioned' },
        { name: 'dossiers', description: 'Intake, processing under the legal clock, work lists' },
        { name: 'public', description: 'What anyone may see without signing in' },
        {
          name: 'documents',
          description:
            "Digitized papers (uploads checked by their bytes, the citizen's personal store, reuse), the forms of Circular 03/2025 as PDFs, signed results",
        },
        {
          name: 'signing',
          description: "Officers' certificates, communes' seals, the certificate authorities trusted here",
        },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
}

/**
 * The success answer of a route that sends a file, not JSON: its media types, for OpenAPI and the route
 * contract (`response: { 200: fileResponse('The signed result', 'application/pdf'), ...errors }`).
 */
export function fileResponse(description: string, ...mediaTypes: [string, ...string[]]) {
  // Fastify sends a Buffer as it is (no serializer runs); the schema only describes it, so the type the
  // handler may send is the bytes.
  const schema = z
    .string()
    .meta({ description: 'the file itself', format: 'binary' }) as unknown as z.ZodType<Uint8Array>;
  return { description, content: Object.fromEntries(mediaTypes.map((m) => [m, { schema }])) };
}
