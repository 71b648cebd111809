import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../context.ts';
import { ANONYMOUS_USER_ID, findUser, isTokenRevoked, userByApiKeyHash } from '../db/repositories/users.ts';
import { forbidden, unauthorized } from '../http/errors.ts';
import { hashApiKey } from './api-keys.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** No credentials needed (root, health probes, login, refresh). */
    public?: boolean;
    /** A POST that only reads (query, export): viewers may call it. */
    readOnly?: boolean;
  }
}

export const ANONYMOUS: Caller = Object.freeze({
  id: ANONYMOUS_USER_ID,
  username: 'anonymous',
  role: 'admin',
});

export interface TokenClaims {
  sub: string;
  username: string;
  role: Caller['role'];
  type: 'access' | 'refresh';
  jti: string;
  /** Login session: the same in every token issued from one login and its refreshes. */
  sid?: string;
  exp: number;
}

async function fromBearer(app: FastifyInstance, token: string): Promise<Caller> {
  let claims: TokenClaims;
  try {
    claims = app.jwt.verify<TokenClaims>(token);
  } catch {
    throw unauthorized('Invalid or expired token');
  }
  if (claims.type !== 'access' || typeof claims.jti !== 'string') throw unauthorized('Not an access token');
  if (await isTokenRevoked(app.db, claims.jti, claims.sid))
    throw unauthorized('The token was revoked (logged out)');
  const user = await findUser(app.db, claims.sub);
  if (!user?.is_active) throw unauthorized('Unknown user');
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    jti: claims.jti,
    tokenExpiresAt: new Date(claims.exp * 1000),
    ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}),
  };
}

/** The caller of a request from Authorization: Bearer or X-API-Key; 401 when neither is valid. */
export async function identify(app: FastifyInstance, request: FastifyRequest): Promise<Caller> {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization.trim() !== '') {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthorized('Use Authorization: Bearer <token> or X-API-Key');
    return fromBearer(app, match[1]);
  }
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') {
    const user = await userByApiKeyHash(app.db, hashApiKey(apiKey));
    if (!user) throw unauthorized('Invalid API key');
    return { id: user.id, username: user.username, role: user.role };
  }
  throw unauthorized();
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every /api route that is not public needs a caller; viewers only read. It runs in preParsing,
 * after the rate limiter's per-route onRequest hook, so requests with bad or no credentials are
 * rate limited too (an API-key guessing flood meets 429), and before any body is parsed.
 */
export function registerAuthentication(app: FastifyInstance): void {
  app.decorateRequest('caller', null);
  app.addHook('preParsing', async (request) => {
    const config = request.routeOptions.config ?? {};
    if (!app.config.authEnabled) {
      request.caller = ANONYMOUS;
      return;
    }
    // Docs (Swagger UI and its assets), the OpenAPI document and /metrics are not public: they
    // map the whole API and its traffic. Only health probes, the root and login/refresh are.
    if (config.public || request.routeOptions.url === undefined) return;
    request.caller = await identify(app, request);
    if (request.caller.role === 'viewer' && !READ_METHODS.has(request.method) && !config.readOnly)
      throw forbidden('Viewers have read-only access');
  });
}

/** The authenticated caller of a route (set by the onRequest hook). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw unauthorized();
  return request.caller;
}
