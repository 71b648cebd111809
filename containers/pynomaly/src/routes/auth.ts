import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { generateApiKey } from '../auth/api-keys.ts';
import { callerOf, type TokenClaims } from '../auth/authenticate.ts';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { MAX_PASSWORD_BYTES, PASSWORD_RULE, passwordMeetsRule, passwordTooLong } from '../auth/passwords.ts';
import {
  findUser,
  findUserByName,
  insertApiKey,
  insertUser,
  isTokenRevoked,
  revokeApiKey,
  revokeToken,
  type UserRow,
} from '../db/repositories/users.ts';
import { success } from '../http/envelope.ts';
import { ApiError, conflict, forbidden, notFound, unauthorized, unprocessable } from '../http/errors.ts';
import {
  ApiKeyCreate,
  ApiKeyCreated,
  LoggedOut,
  LoginRequest,
  RefreshRequest,
  RegisterRequest,
  Revoked,
  TokenPair,
  User,
} from '../schemas/auth.ts';
import { enveloped, IdParams } from '../schemas/common.ts';

function userView(user: UserRow) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    role: user.role,
    is_active: user.is_active,
    created_at: user.created_at.toISOString(),
  };
}

/** Login, tokens, users and API keys. Registered only when PYNOMALY_AUTH_ENABLED=true. */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['auth'];
  const { accessTokenTtlSeconds: accessTtl, refreshTokenTtlSeconds: refreshTtl } = app.config;
  const throttle = new LoginThrottle(app.redis?.command ?? null, {
    perUser: app.config.loginMaxFailuresPerUser,
    perIp: app.config.loginMaxFailuresPerIp,
    windowSeconds: app.config.loginFailureWindowSeconds,
  });

  // Every token of one login shares its session id (sid): logout revokes the session.
  const issue = (user: UserRow, sid: string = randomUUID()) => {
    const base = { sub: user.id, username: user.username, role: user.role, sid };
    return {
      access_token: app.jwt.sign({ ...base, type: 'access', jti: randomUUID() }, { expiresIn: accessTtl }),
      token_type: 'bearer' as const,
      expires_in: accessTtl,
      refresh_token: app.jwt.sign({ ...base, type: 'refresh', jti: randomUUID() }, { expiresIn: refreshTtl }),
    };
  };

  // Answers carry tokens and keys: no cache (browser, proxy) may keep them.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  // Form posts (application/x-www-form-urlencoded) log in like JSON bodies.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );

  app.post(
    '/api/auth/login',
    { config: { public: true }, schema: { tags, body: LoginRequest, response: enveloped(TokenPair) } },
    async (request) => {
      const { username, password } = request.body;
      const throttled = await throttle.check(username, request.ip);
      if (throttled)
        throw new ApiError(
          429,
          'TOO_MANY_LOGIN_ATTEMPTS',
          `Too many failed logins ${throttled.scope === 'user' ? 'for this user' : 'from this address'}; retry in ${throttled.retryAfter} s`,
          { scope: throttled.scope },
          { 'Retry-After': String(throttled.retryAfter) },
        );
      const user = await findUserByName(app.db, username);
      const valid = await app.compute.run('verifyPassword', {
        password,
        hash: user?.password_hash ?? null,
        rounds: app.config.passwordHashRounds,
      });
      if (!user || !valid || !user.is_active) {
        await throttle.failed(username, request.ip);
        throw unauthorized('Wrong username or password');
      }
      await throttle.succeeded(username);
      return success(request.id, issue(user), 'Logged in');
    },
  );

  app.post(
    '/api/auth/refresh',
    { config: { public: true }, schema: { tags, body: RefreshRequest, response: enveloped(TokenPair) } },
    async (request) => {
      let claims: TokenClaims;
      try {
        claims = app.jwt.verify<TokenClaims>(request.body.refresh_token);
      } catch {
        throw unauthorized('Invalid or expired refresh token');
      }
      if (claims.type !== 'refresh') throw unauthorized('Not a refresh token');
      if (await isTokenRevoked(app.db, claims.jti, claims.sid))
        throw unauthorized('The refresh token was revoked');
      const user = await findUser(app.db, claims.sub);
      if (!user?.is_active) throw unauthorized('Unknown user');
      // Refresh tokens are single use: only the request that records the jti gets new tokens.
      if (!(await revokeToken(app.db, claims.jti, new Date(claims.exp * 1000))))
        throw unauthorized('The refresh token was already used');
      return success(request.id, issue(user, claims.sid), 'Token refreshed');
    },
  );

  app.post(
    '/api/auth/register',
    { schema: { tags, body: RegisterRequest, response: enveloped(User, 201) } },
    async (request, reply) => {
      if (callerOf(request).role !== 'admin') throw forbidden('Only admins register users');
      const body = request.body;
      if (passwordTooLong(body.password))
        throw unprocessable(
          `password must be at most ${MAX_PASSWORD_BYTES} bytes (UTF-8): bcrypt ignores the rest`,
        );
      if (!passwordMeetsRule(body.password)) throw new ApiError(422, 'WEAK_PASSWORD', PASSWORD_RULE);
      const user = await insertUser(app.db, {
        username: body.username,
        email: body.email ?? null,
        passwordHash: await app.compute.run('hashPassword', {
          password: body.password,
          rounds: app.config.passwordHashRounds,
        }),
        role: body.role ?? 'viewer',
      });
      if (!user) throw conflict('The username is taken');
      return reply.status(201).send(success(request.id, userView(user), 'User registered'));
    },
  );

  app.get('/api/auth/me', { schema: { tags, response: enveloped(User) } }, async (request) => {
    const user = await findUser(app.db, callerOf(request).id);
    if (!user) throw unauthorized('Unknown user');
    return success(request.id, userView(user));
  });

  app.post(
    '/api/auth/api-keys',
    {
      config: { readOnly: true },
      schema: { tags, body: ApiKeyCreate, response: enveloped(ApiKeyCreated, 201) },
    },
    async (request, reply) => {
      const generated = generateApiKey();
      const row = await insertApiKey(app.db, {
        userId: callerOf(request).id,
        name: request.body.name,
        keyHash: generated.hash,
        prefix: generated.prefix,
      });
      return reply.status(201).send(
        success(request.id, {
          id: row.id,
          name: row.name,
          api_key: generated.key,
          prefix: row.prefix,
          created_at: row.created_at.toISOString(),
        }),
      );
    },
  );

  app.delete(
    '/api/auth/api-keys/:id',
    { config: { readOnly: true }, schema: { tags, params: IdParams, response: enveloped(Revoked) } },
    async (request) => {
      const revoked = await revokeApiKey(app.db, callerOf(request).id, request.params.id);
      if (!revoked) throw notFound('API key');
      return success(request.id, { id: request.params.id, revoked: true }, 'API key revoked');
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { readOnly: true }, schema: { tags, response: enveloped(LoggedOut) } },
    async (request) => {
      const caller = callerOf(request);
      if (caller.jti && caller.tokenExpiresAt) await revokeToken(app.db, caller.jti, caller.tokenExpiresAt);
      // The session's refresh tokens end too: the newest one expires at most refreshTtl from now.
      if (caller.sid) await revokeToken(app.db, caller.sid, new Date(Date.now() + refreshTtl * 1000));
      return success(request.id, { logged_out: true }, 'Logged out');
    },
  );
};
