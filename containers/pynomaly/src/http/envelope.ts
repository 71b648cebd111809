/** The contract's success and error envelopes. */

export interface SuccessEnvelope<T> {
  success: true;
  data: T;
  message: string | null;
  timestamp: string;
  request_id: string;
}

export interface ErrorEnvelope {
  success: false;
  error: { code: string; message: string; details?: unknown };
  detail: string;
  request_id: string;
}

export function success<T>(requestId: string, data: T, message: string | null = null): SuccessEnvelope<T> {
  return { success: true, data, message, timestamp: new Date().toISOString(), request_id: requestId };
}

export function failure(requestId: string, code: string, message: string, details?: unknown): ErrorEnvelope {
  const error: ErrorEnvelope['error'] = { code, message };
  if (details !== undefined) error.details = details;
  return { success: false, error, detail: message, request_id: requestId };
}
