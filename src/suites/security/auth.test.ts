/**
 * security / authentication and authorisation.
 *
 * With auth on (the orchestrator runs this suite with PYNOMALY_AUTH_ENABLED=true):
 * Faults this file catches:
 * - a protected route answering without credentials, or with a forged, tampered, unsigned,
 *   expired or other-key JWT, or after logout (checked by faults/catalog.ts: sec-logout-not-revoking)
 * - an API key that keeps working after it was revoked
 * - a viewer allowed to write, an analyst allowed to register users
 *   (checked by faults/catalog.ts: sec-viewer-can-write)
 * - one user's dataset readable, changeable or deletable by another (must be 404, not 403)
 * - login accepting a wrong password; refresh not giving a working token
 * With auth off:
 * - a route demanding credentials although auth is disabled
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, test } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import {
  ApiClient,
  clientForStack,
  expectStatus,
  type LoginResult,
  login,
  unwrap,
} from '../fixtures/http-client.ts';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { decodeJwt, signHs256, unsignedJwt } from '../fixtures/jwt.ts';
import { useStack } from '../fixtures/stack.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';

const PROTECTED = [
  '/api/datasets',
  '/api/detectors',
  '/api/experiments',
  '/api/streaming/sessions',
  '/api/events/summary',
];

async function createUser(
  admin: ApiClient,
  role: 'analyst' | 'viewer',
): Promise<{ username: string; password: string; client: ApiClient }> {
  const username = `it-${role}-${randomUUID().slice(0, 8)}`;
  const password = `Pw-${randomUUID()}`;
  const res = await admin.post('/api/auth/register', {
    username,
    password,
    role,
    email: `${username}@example.test`,
  });
  unwrap(res, [200, 201], `the admin must be able to register a ${role}`);
  const { access_token } = await login(admin.baseUrl, username, password);
  return { username, password, client: new ApiClient(admin.baseUrl, { token: access_token }) };
}

// The tests that exist depend on how the stack was configured; none is skipped.
if (inject('stack').authEnabled) {
  describe('authentication (auth on)', { tags: ['security', 'api'] }, () => {
    const it = useIntegrationHelper();

    test('no credentials, a wrong password and bad schemes are refused with 401', async () => {
      const stack = useStack();
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

    test('forged, tampered, unsigned, expired and other-key tokens are refused', async () => {
      const stack = useStack();
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

    test('refresh gives a working token; logout ends the token', async () => {
      const stack = useStack();
      const session: LoginResult = await login(stack.httpUrl, stack.admin.username, stack.admin.password);
      expect(session.token_type.toLowerCase(), 'token_type must be bearer').toBe('bearer');
      expect(session.expires_in, 'expires_in must be positive').toBeGreaterThan(0);
      const refreshed = unwrap<LoginResult>(
        await new ApiClient(stack.httpUrl).post('/api/auth/refresh', {
          refresh_token: session.refresh_token,
        }),
        200,
        'refresh with a refresh token',
      );
      const client = new ApiClient(stack.httpUrl, { token: refreshed.access_token });
      const me = await client.data('GET', '/api/auth/me', {}, '/api/auth/me with a refreshed token');
      expect(me.username, '/api/auth/me must name the admin').toBe(stack.admin.username);
      const badRefresh = await new ApiClient(stack.httpUrl).post('/api/auth/refresh', {
        refresh_token: session.access_token,
      });
      expectStatus(badRefresh, [400, 401], 'an access token is not a refresh token');
      expectStatus(await client.post('/api/auth/logout'), [200, 204], 'logout');
      expectStatus(await client.get('/api/auth/me'), 401, 'a token must stop working after logout');
    });

    test('a revoked API key stops working', async () => {
      const { client } = it;
      const stack = useStack();
      const created = await client.data(
        'POST',
        '/api/auth/api-keys',
        { json: { name: `it-key-${randomUUID().slice(0, 6)}` } },
        'create API key',
      );
      expect(created.api_key, 'the API key is shown once at creation').toBeTruthy();
      const keyClient = new ApiClient(stack.httpUrl, { apiKey: created.api_key });
      expectStatus(await keyClient.get('/api/datasets'), 200, 'a fresh API key must work');
      expectStatus(await client.delete(`/api/auth/api-keys/${created.id}`), [200, 204], 'revoke the API key');
      const after = await keyClient.get('/api/datasets');
      expectStatus(after, 401, 'a revoked API key must stop working');
      expectStatus(
        await new ApiClient(stack.httpUrl, { apiKey: 'pk_forged_0000000000' }).get('/api/datasets'),
        401,
        'an unknown API key',
      );
    });

    test('roles: viewers read only, analysts cannot administer', async () => {
      const { client: admin } = it;
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

    test("one user's resources are invisible to another (404, not 403)", async () => {
      const { client: admin } = it;
      const alice = await createUser(admin, 'analyst');
      const bob = await createUser(admin, 'analyst');
      const upload = await alice.client.upload(
        '/api/datasets/upload',
        { filename: 'a.csv', content: 'a,b\n1,2\n3,4\n' },
        {
          name: `alice-${randomUUID().slice(0, 6)}`,
        },
      );
      const dataset = unwrap<{ id: string; name: string }>(upload, [200, 201], 'alice uploads');
      expectStatus(await bob.client.get(`/api/datasets/${dataset.id}`), 404, "bob GET of alice's dataset");
      expectStatus(
        await bob.client.put(`/api/datasets/${dataset.id}`, { name: 'stolen' }),
        404,
        "bob PUT of alice's dataset",
      );
      expectStatus(
        await bob.client.delete(`/api/datasets/${dataset.id}`),
        404,
        "bob DELETE of alice's dataset",
      );
      const bobsList = await bob.client.data('GET', '/api/datasets', { query: { limit: 500 } }, "bob's list");
      expect(
        bobsList.datasets.map((d: { id: string }) => d.id),
        "alice's dataset must not be in bob's list",
      ).not.toContain(dataset.id);
      const detector = await bob.client.post(
        '/api/detectors/create',
        { name: 'x', algorithm: 'zscore', parameters: {}, feature_columns: ['a', 'b'] },
        {
          query: { dataset_id: dataset.id },
        },
      );
      expectStatus(detector, 404, "bob must not build a detector on alice's dataset");
      const stillThere = await alice.client.data(
        'GET',
        `/api/datasets/${dataset.id}`,
        {},
        'alice still has her dataset',
      );
      expect(stillThere.name, "bob's attempts must not change alice's dataset").toBe(dataset.name);
      expectStatus(
        await alice.client.delete(`/api/datasets/${dataset.id}`),
        [200, 204],
        'alice deletes her dataset',
      );
    });
  });
} else {
  describe('authentication (auth off)', { tags: ['security', 'api'] }, () => {
    test('protected routes answer without credentials when auth is disabled', async () => {
      const stack = useStack();
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
