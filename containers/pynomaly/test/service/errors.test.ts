import { describe, expect, test } from 'vitest';
import { failure, success } from '../../src/http/envelope.ts';
import { mapError } from '../../src/http/error-handler.ts';
import { ApiError, notFound, unauthorized } from '../../src/http/errors.ts';
import { requestIdFor } from '../../src/http/request-id.ts';

describe('envelopes', () => {
  test('success carries data, message, an ISO timestamp and the request id', () => {
    const body = success('req-1', { a: 1 });
    expect(body).toMatchObject({ success: true, data: { a: 1 }, message: null, request_id: 'req-1' });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
  });

  test('failure has error {code, message}, detail and the request id; details only when given', () => {
    expect(failure('r', 'NOT_FOUND', 'gone')).toEqual({
      success: false,
      error: { code: 'NOT_FOUND', message: 'gone' },
      detail: 'gone',
      request_id: 'r',
    });
    expect(failure('r', 'X', 'm', { line: 3 }).error.details).toEqual({ line: 3 });
  });
});

describe('mapError', () => {
  test('ApiErrors keep their status, code and headers', () => {
    expect(mapError(notFound('Dataset'))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      message: 'Dataset not found',
    });
    expect(mapError(unauthorized()).headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
  });

  test('validation → 422, bad JSON → 400, too large → 413, media type → 415', () => {
    expect(
      mapError({ validation: [{}], validationContext: 'body', message: 'body/name must be string' }),
    ).toMatchObject({
      status: 422,
      code: 'VALIDATION_ERROR',
    });
    expect(mapError({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400, message: 'bad' }).status).toBe(
      400,
    );
    expect(mapError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413, message: 'big' }).status).toBe(
      413,
    );
    expect(mapError({ code: 'FST_REQ_FILE_TOO_LARGE', statusCode: 413, message: 'big' }).status).toBe(413);
    expect(mapError({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415, message: 'xml' }).status).toBe(
      415,
    );
  });

  test('unknown errors become an opaque 500 without their message', () => {
    const mapped = mapError(new TypeError('secret at /app/dist/x.js:1:2'));
    expect(mapped).toEqual({ status: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' });
    expect(mapError(new ApiError(409, 'CONFLICT', 'busy')).status).toBe(409);
  });
});

describe('requestIdFor', () => {
  const request = (value?: string) =>
    ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as never;

  test('keeps a sane incoming id, replaces anything else with a UUID', () => {
    expect(requestIdFor(request('abc-123_x.y:z'))).toBe('abc-123_x.y:z');
    const uuid = /^[0-9a-f-]{36}$/;
    expect(requestIdFor(request())).toMatch(uuid);
    expect(requestIdFor(request('<script>'))).toMatch(uuid);
    expect(requestIdFor(request('x'.repeat(200)))).toMatch(uuid);
  });
});
