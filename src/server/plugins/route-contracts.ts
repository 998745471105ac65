import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Every API route declares what it answers: the schema its success body is serialized with (the web reads
 * the same schema), or for a file the media type it sends. A route without one stops the start, named, so
 * an answer nobody described never reaches the web.
 */
export function registerRouteContracts(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const problem = contractProblem(route);
    if (problem) throw new Error(`${methodsOf(route)} ${route.url}: ${problem}`);
  });
}

/** The API, and the probes that load balancers and monitors read; pages and assets answer HTML or files. */
const CONTRACT_ROUTES = /^\/(api\/|healthz$|readyz$)/;
/** The OpenAPI document and its UI describe the others. */
const DOCS = /^\/api\/docs(\/|$)/;

function methodsOf(route: RouteOptions) {
  return [route.method].flat().join(',');
}

export function contractProblem(route: Pick<RouteOptions, 'url' | 'method' | 'schema'>): string | null {
  if (!CONTRACT_ROUTES.test(route.url) || DOCS.test(route.url)) return null;
  if ([route.method].flat().every((m) => m === 'HEAD')) return null;
  const response = (route.schema as { response?: Record<string, unknown> } | undefined)?.response;
  const success = Object.entries(response ?? {}).filter(([status]) => /^[23](\d\d|xx)$/i.test(status));
  if (success.length === 0) {
    return 'declares no response schema for its success answer (schema.response[200|201|204|3xx])';
  }
  for (const [status, schema] of success) {
    if (schema === null || typeof schema !== 'object') return `response ${status} is not a schema`;
    if ('content' in schema) {
      const content = (schema as { content: unknown }).content;
      if (!content || typeof content !== 'object' || Object.keys(content).length === 0) {
        return `response ${status} names no media type`;
      }
      continue;
    }
    const loose = looseObjectPath(schema as ZodLike, '');
    if (loose !== null) {
      return `response ${status} lets unnamed fields through at ${loose || 'its root'} (z.looseObject): name every field the answer carries`;
    }
  }
  return null;
}

type ZodLike = { _zod?: { def: Record<string, unknown> & { type: string } } };

/**
 * Where a response schema takes fields it does not name (an object whose catch-all is unknown): the web's
 * type would miss them. Walks objects, arrays, unions and wrappers; null when every field is named.
 */
function looseObjectPath(schema: ZodLike, at: string, seen = new Set<unknown>()): string | null {
  const def = schema._zod?.def;
  if (!def || seen.has(schema)) return null;
  seen.add(schema);
  const child = (s: unknown, path: string) => looseObjectPath(s as ZodLike, path, seen);
  // The whole answer, or an object's catch-all, that takes anything names nothing.
  if (at === '' && (def.type === 'any' || def.type === 'unknown')) return at;
  switch (def.type) {
    case 'object': {
      const catchall = (def.catchall as ZodLike | undefined)?._zod?.def.type;
      if (catchall === 'unknown' || catchall === 'any') return at;
      for (const [key, value] of Object.entries(def.shape as Record<string, unknown>)) {
        const found = child(value, `${at}.${key}`);
        if (found !== null) return found;
      }
      return null;
    }
    case 'array':
      return child(def.element, `${at}[]`);
    case 'tuple':
      for (const [i, item] of (def.items as unknown[]).entries()) {
        const found = child(item, `${at}[${i}]`);
        if (found !== null) return found;
      }
      return null;
    case 'record':
      return child(def.valueType, `${at}{}`);
    case 'union':
      for (const option of def.options as unknown[]) {
        const found = child(option, at);
        if (found !== null) return found;
      }
      return null;
    case 'intersection':
      return child(def.left, at) ?? child(def.right, at);
    case 'pipe':
      return child(def.in, at) ?? child(def.out, at);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return child(def.innerType, at);
    case 'lazy':
      return child((def.getter as () => unknown)(), at);
    default:
      return null;
  }
}
