/**
 * security / authentication and authorisation.
 *
 * With auth on (the orchestrator runs this suite with PYNOMALY_AUTH_ENABLED=true):
 * Faults this file catches:
 * - a protected route answering without credentials, or with a forged, tampered, unsigned,
 *   expired or other-key JWT
 * - a viewer allowed to write, an analyst allowed to register users
 *   (checked by faults/catalog.ts: sec-viewer-can-write)
 * - login accepting a wrong password
 * (Tokens, logout and refresh: tokens.test.ts; API keys: api-keys.test.ts; per-object
 * authorisation: ownership.test.ts.)
 * With auth off:
 * - a route demanding credentials although auth is disabled
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, inject } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { ApiClient, clientForStack, expectStatus, login } from '../fixtures/http-client.ts';
import { decodeJwt, signHs256, unsignedJwt } from '../fixtures/jwt.ts';
import { test } from '../fixtures/test.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';
import { createUser } from './users.ts';

const PROTECTED = [
  '/api/datasets',
  '/api/detectors',
  '/api/experiments',
  '/api/streaming/sessions',
  '/api/events/summary',
];

// The tests that exist depend on how the stack was configured; none is skipped.
if (inject('stack').authEnabled) {
  describe('authentication (auth on)', { tags: ['security', 'api'] }, () => {
    test('no credentials, a wrong password and bad schemes are refused with 401', async ({ stack }) => {
      const anonymous = new ApiClient(stack.httpUrl);
      for (const path of PROTECTED) {
        const res = await anonymous.get(path);
        expectStatus(res, 401, `${path} without credentials`);
        expectCleanError(res, stack, `${path} without credentials`);
      }
      const wrong = await anonymous.post('/api/auth/login', {
        username: stack.admin.username,
        password: 'not-the-password',
      });
      expectStatus(wrong, 401, 'login with a wrong password');
      const basic = await anonymous.get('/api/datasets', {
        headers: {
          authorization: `Basic ${Buffer.from(`${stack.admin.username}:${stack.admin.password}`).toString('base64')}`,
        },
      });
      expectStatus(basic, 401, 'Basic auth is not a credential of this API');
      const status = await LiveSocket.upgradeStatus(
        `${stack.wsUrl}/api/streaming/sessions/${randomUUID()}/live`,
      );
      expect([401, 403], 'a live socket without credentials must be refused').toContain(status);
    });

    test('forged, tampered, unsigned, expired and other-key tokens are refused', async ({ stack }) => {
      const { access_token } = await login(stack.httpUrl, stack.admin.username, stack.admin.password);
      const { header, payload } = decodeJwt(access_token);
      const secret = stack.serviceEnv.PYNOMALY_SECRET_KEY;
      expect(secret, 'the stack must tell the suite its PYNOMALY_SECRET_KEY (serviceEnv)').toBeTruthy();
      const now = Math.floor(Date.now() / 1000);
      const [head, body, signature] = access_token.split('.');
      const tamperedBody = Buffer.from(
        JSON.stringify({ ...payload, role: 'admin', sub: randomUUID() }),
      ).toString('base64url');
      const tokens: [string, string][] = [
        ['a token signed with another key', signHs256(payload, `${secret}-other`, header)],
        [
          'an expired token (right key)',
          signHs256({ ...payload, iat: now - 7200, exp: now - 3600 }, secret, header),
        ],
        ['an unsigned token (alg none)', unsignedJwt(payload)],
        ['a tampered payload with the original signature', `${head}.${tamperedBody}.${signature}`],
        ['a truncated token', `${head}.${body}`],
        ['garbage', 'not.a.jwt'],
      ];
      for (const [what, token] of tokens) {
        const res = await new ApiClient(stack.httpUrl, { token }).get('/api/datasets');
        expectStatus(res, 401, `${what} must be refused`);
        expectCleanError(res, stack, what);
      }
      const valid = await new ApiClient(stack.httpUrl, { token: access_token }).get('/api/datasets');
      expectStatus(valid, 200, 'the genuine token must work (control)');
    });

    test('roles: viewers read only, analysts cannot administer', async ({ client: admin }) => {
      const viewer = await createUser(admin, 'viewer');
      const analyst = await createUser(admin, 'analyst');
      expectStatus(await viewer.client.get('/api/datasets'), 200, 'a viewer may read');
      const viewerWrite = await viewer.client.upload(
        '/api/datasets/upload',
        { filename: 'v.csv', content: 'a\n1\n' },
        { name: 'viewer' },
      );
      expectStatus(viewerWrite, 403, 'a viewer must not upload');
      const analystUpload = await analyst.client.upload(
        '/api/datasets/upload',
        { filename: 'a.csv', content: 'a,b\n1,2\n' },
        {
          name: 'analyst',
        },
      );
      expectStatus(analystUpload, [200, 201], 'an analyst may upload');
      const id = analystUpload.body.data.id;
      expectStatus(
        await analyst.client.delete(`/api/datasets/${id}`),
        [200, 204],
        'an analyst deletes their own dataset',
      );
      const register = await analyst.client.post('/api/auth/register', {
        username: `x${randomUUID().slice(0, 6)}`,
        password: 'Pw-123456789',
        role: 'admin',
      });
      expectStatus(register, 403, 'an analyst must not register users');
    });
  });
} else {
  describe('authentication (auth off)', { tags: ['security', 'api'] }, () => {
    test('protected routes answer without credentials when auth is disabled', async ({ stack }) => {
      const anonymous = await clientForStack(stack);
      expect(anonymous.credentials, 'with auth off the suite runs without credentials').toBeNull();
      for (const path of PROTECTED)
        expectStatus(
          await anonymous.get(path),
          200,
          `${path} must answer without credentials when auth is off`,
        );
    });
  });
}
