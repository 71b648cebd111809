/** ApiError: an error whose status and code are meant for the client. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new ApiError(400, 'BAD_REQUEST', message, details);
export const unauthorized = (message = 'Authentication required') =>
  new ApiError(401, 'UNAUTHORIZED', message, undefined, { 'WWW-Authenticate': 'Bearer' });
export const forbidden = (message = 'Not allowed') => new ApiError(403, 'FORBIDDEN', message);
export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new ApiError(409, 'CONFLICT', message);
export const unprocessable = (message: string, details?: unknown) =>
  new ApiError(422, 'VALIDATION_ERROR', message, details);
export const tooLarge = (message: string) => new ApiError(413, 'PAYLOAD_TOO_LARGE', message);
export const unsupportedMedia = (message: string) => new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', message);
export const unavailable = (message: string) => new ApiError(503, 'SERVICE_UNAVAILABLE', message);
