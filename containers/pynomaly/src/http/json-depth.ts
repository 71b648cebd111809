import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.ts';

/** No document of the API nests deeper (model documents are flat arrays); far more is an attack. */
export const MAX_JSON_DEPTH = 64;

/**
 * Nesting depth of a JSON text, counted in one linear pass that skips strings. Deep nesting is
 * refused before JSON.parse: parsing, validating, storing (jsonb) and serialising a 10,000-level
 * document each recurse, and a stack overflow anywhere would be a 500.
 */
export function exceedsDepth(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The JSON body parser: fastify's own (prototype-poisoning safe) behind the depth check. */
export function registerJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (exceedsDepth(body as string))
      return done(
        new ApiError(400, 'JSON_TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels is refused`),
        undefined,
      );
    parse(request, body as string, done);
  });
}
