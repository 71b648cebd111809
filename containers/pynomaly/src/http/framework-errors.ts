import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { failure } from './envelope.ts';

/**
 * Errors the router raises before any hook runs (a path parameter over maxParamLength, a
 * malformed URL): answered in the envelope with the headers every response carries.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  reply
    .status(tooLong ? 414 : 400)
    .headers({
      'x-request-id': request.id,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'referrer-policy': 'no-referrer',
      'content-type': 'application/json; charset=utf-8',
    })
    .send(
      JSON.stringify(
        failure(
          request.id,
          tooLong ? 'URI_TOO_LONG' : 'BAD_REQUEST',
          tooLong ? 'The URL is too long' : 'The URL is malformed',
        ),
      ),
    );
}
