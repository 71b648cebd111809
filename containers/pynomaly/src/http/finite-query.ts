import type { FastifyInstance } from 'fastify';
import { unprocessable } from './errors.ts';

/**
 * Ajv's type coercion turns a query value such as `1e400` into Infinity and lets it pass
 * `maximum`; no route means Infinity (it would reach Date or SQL as a 500). Every coerced query
 * number must be finite: 422 otherwise. Strings stay strings (a name filter may say "Infinity").
 */
export function refuseNonFiniteQuery(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const query = request.query;
    if (!query || typeof query !== 'object') return;
    for (const [name, value] of Object.entries(query as Record<string, unknown>))
      if (typeof value === 'number' && !Number.isFinite(value))
        throw unprocessable(`Invalid querystring: ${name} must be a finite number`);
  });
}
