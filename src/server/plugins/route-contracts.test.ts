import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fileResponse } from './openapi.ts';
import { registerRouteContracts } from './route-contracts.ts';

function appWithContracts() {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerRouteContracts(app);
  return app;
}

describe('route contracts', () => {
  it('stops the start on an API route that declares no success answer, naming it', async () => {
    const app = appWithContracts();
    expect(() =>
      app.get('/api/things', { schema: { response: { 404: z.object({ x: z.string() }) } } }, () => ({
        x: '',
      })),
    ).toThrow(
      'GET /api/things: declares no response schema for its success answer (schema.response[200|201|204|3xx])',
    );
    expect(() => app.post('/api/things', () => ({}))).toThrow(
      'POST /api/things: declares no response schema',
    );
    await app.close();
  });

  it('refuses an answer that lets unnamed fields through, saying where', async () => {
    const app = appWithContracts();
    const Item = z.looseObject({ id: z.number() });
    expect(() =>
      app.get('/api/loose', { schema: { response: { 200: z.object({ items: z.array(Item) }) } } }, () => ({
        items: [],
      })),
    ).toThrow('GET /api/loose: response 200 lets unnamed fields through at .items[] (z.looseObject)');
    expect(() =>
      app.get('/api/loose-root', { schema: { response: { 200: Item.nullable().optional() } } }, () => ({
        id: 1,
      })),
    ).toThrow('response 200 lets unnamed fields through at its root');
    const Nested = z.object({ a: z.union([z.string(), z.object({ b: z.record(z.string(), Item) })]) });
    expect(() =>
      app.get('/api/loose-deep', { schema: { response: { 201: Nested } } }, () => ({ a: 'x' })),
    ).toThrow('response 201 lets unnamed fields through at .a.b{}');
    expect(() => app.get('/api/anything', { schema: { response: { 200: z.unknown() } } }, () => 1)).toThrow(
      'GET /api/anything: response 200 lets unnamed fields through at its root',
    );
    const CatchAll = z.object({ id: z.number() }).catchall(z.any());
    expect(() =>
      app.get(
        '/api/catchall',
        { schema: { response: { '2xx': z.tuple([z.string(), CatchAll]) } } },
        () => ['a' as const, { id: 1 }] as [string, { id: number }],
      ),
    ).toThrow('response 2xx lets unnamed fields through at [1]');
    await app.close();
  });

  it('takes named JSON answers, 204s, files by media type, and leaves pages and assets alone', async () => {
    const app = appWithContracts();
    app.get('/api/named', { schema: { response: { 200: z.object({ id: z.number() }) } } }, () => ({ id: 1 }));
    app.post('/api/empty', { schema: { response: { 204: z.null() } } }, async (_r, reply) => {
      await reply.status(204).send(null);
    });
    app.get(
      '/api/file.pdf',
      { schema: { response: { 200: fileResponse('a file', 'application/pdf') } } },
      async (_r, reply) => {
        await reply.header('content-type', 'application/pdf').send(Buffer.from('%PDF-1.7'));
      },
    );
    app.get('/staff/*', () => 'page');
    app.get('/api/docs/json', () => ({}));
    expect(() =>
      app.get(
        '/api/no-media',
        { schema: { response: { 200: { description: 'x', content: {} } } } },
        () => '',
      ),
    ).toThrow('GET /api/no-media: response 200 names no media type');
    const named = await app.inject({ url: '/api/named' });
    expect(named.json()).toEqual({ id: 1 });
    expect((await app.inject({ method: 'POST', url: '/api/empty' })).statusCode).toBe(204);
    const file = await app.inject({ url: '/api/file.pdf' });
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.body).toBe('%PDF-1.7');
    await app.close();
  });
});
