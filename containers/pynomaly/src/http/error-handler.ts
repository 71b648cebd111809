import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { failure } from './envelope.ts';
import { ApiError } from './errors.ts';

interface Mapped {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_FILES_LIMIT: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_PARTS_LIMIT: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_FIELDS_LIMIT: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_PROTO_VIOLATION: { status: 400, code: 'BAD_REQUEST' },
  FST_ERR_VALIDATION: { status: 422, code: 'VALIDATION_ERROR' },
};

/** PostgreSQL errors caused by what the client sent (SQLSTATE → answer); anything else stays a 500. */
const POSTGRES_CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  '22021': {
    status: 422,
    code: 'VALIDATION_ERROR',
    message: 'Text with a NUL or invalid character cannot be stored',
  },
  '22P05': {
    status: 422,
    code: 'VALIDATION_ERROR',
    message: 'Text with a NUL or invalid character cannot be stored',
  },
  '22P02': { status: 422, code: 'VALIDATION_ERROR', message: 'A value has the wrong format' },
  '22001': { status: 422, code: 'VALIDATION_ERROR', message: 'A value is too long' },
  // A number or date the schema let through but PostgreSQL cannot hold (an offset beyond bigint,
  // year 0): bad input, not a server failure.
  '22003': { status: 422, code: 'VALIDATION_ERROR', message: 'A number is out of range' },
  '22007': { status: 422, code: 'VALIDATION_ERROR', message: 'A date or time has the wrong format' },
  '22008': { status: 422, code: 'VALIDATION_ERROR', message: 'A date or time is out of range' },
  '23505': { status: 409, code: 'CONFLICT', message: 'The resource already exists' },
  '23503': {
    status: 409,
    code: 'CONFLICT',
    message: 'A referenced resource does not exist or is still in use',
  },
  '40001': { status: 409, code: 'CONFLICT', message: 'A concurrent change conflicted; retry' },
  '40P01': { status: 409, code: 'CONFLICT', message: 'A concurrent change conflicted; retry' },
};

function postgresError(error: unknown): Mapped | null {
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  if (typeof code !== 'string' || typeof severity !== 'string') return null;
  const known = POSTGRES_CLIENT_ERRORS[code];
  return known ? { status: known.status, code: known.code, message: known.message } : null;
}

/**
 * A path id that is not a UUID names nothing that can exist: it is answered like an unknown id
 * (404), on every method, so the format of ids is no oracle and clients need one error path.
 */
function malformedPathId(error: { validation?: unknown; validationContext?: string }): boolean {
  if (error.validationContext !== 'params' || !Array.isArray(error.validation)) return false;
  return error.validation.some(
    (issue: { instancePath?: string; keyword?: string; params?: { format?: string } }) =>
      issue.instancePath === '/id' && issue.keyword === 'format' && issue.params?.format === 'uuid',
  );
}

/** Maps any thrown error to a status and a client-safe message; unknown errors become an opaque 500. */
export function mapError(error: unknown): Mapped {
  if (error instanceof ApiError)
    return {
      status: error.statusCode,
      code: error.code,
      message: error.message,
      details: error.details,
      headers: error.headers,
    };
  const database = postgresError(error);
  if (database) return database;
  const fastifyError = error as Partial<FastifyError> & { validation?: unknown; validationContext?: string };
  if (malformedPathId(fastifyError)) return { status: 404, code: 'NOT_FOUND', message: 'Not found' };
  if (fastifyError.validation) {
    const where = fastifyError.validationContext ?? 'request';
    return {
      status: 422,
      code: 'VALIDATION_ERROR',
      message: `Invalid ${where}: ${fastifyError.message ?? 'validation failed'}`,
      details: fastifyError.validation,
    };
  }
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return { status: known.status, code: known.code, message: fastifyError.message ?? known.code };
  if (fastifyError.statusCode === 429)
    return { status: 429, code: 'RATE_LIMITED', message: fastifyError.message ?? 'Too many requests' };
  if (
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  )
    return {
      status: fastifyError.statusCode,
      code: 'BAD_REQUEST',
      message: fastifyError.message ?? 'Bad request',
    };
  return { status: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' };
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = mapError(error);
    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: mapped.code, status: mapped.status }, mapped.message);
    for (const [name, value] of Object.entries(mapped.headers ?? {})) reply.header(name, value);
    return reply.status(mapped.status).send(failure(request.id, mapped.code, mapped.message, mapped.details));
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0].slice(0, 200);
    return reply
      .status(404)
      .send(failure(request.id, 'NOT_FOUND', `Route ${request.method} ${path} not found`));
  });
}
