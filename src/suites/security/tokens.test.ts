/**
 * security / tokens and logins: the token type, single-use refresh, logout, long passwords,
 * throttled failed logins, no caching of answers that carry tokens or keys. Every test uses users
 * it registered itself.
 *
 * Faults this file catches:
 * - a refresh token accepted as an access token (the `type` claim not checked)
 *   (checked by faults/catalog.ts: sec-token-type-unchecked)
 * - an access token accepted at /api/auth/refresh (checked by faults/catalog.ts: sec-refresh-accepts-access)
 * - a refresh token usable twice (checked by faults/catalog.ts: sec-refresh-reusable)
 * - logout leaving the token, or the refresh token of that login, working
 *   (checked by faults/catalog.ts: sec-logout-not-revoking, sec-logout-keeps-refresh)
 * - logout of one login ending another login of the same user
 * - passwords over 72 bytes accepted (bcrypt truncates them) (checked by faults/catalog.ts: sec-long-password-accepted)
 * - repeated failed logins of a user not throttled (checked by faults/catalog.ts: sec-login-not-throttled)
 * - tokens or keys served without Cache-Control: no-store (checked by faults/catalog.ts: sec-token-cacheable)
 */
import { describe, expect } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import {
  ApiClient,
  type ApiResponse,
  expectStatus,
  type LoginResult,
  unwrap,
} from '../fixtures/http-client.ts';
import { useStack } from '../fixtures/stack.ts';
import { test } from '../fixtures/test.ts';
import { createUser } from './users.ts';

const anonymous = () => new ApiClient(useStack().httpUrl);
const bearer = (token: string) => new ApiClient(useStack().httpUrl, { token });
const refresh = (refreshToken: string) =>
  anonymous().post('/api/auth/refresh', { refresh_token: refreshToken });
const loginAs = (username: string, password: string) =>
  anonymous().post('/api/auth/login', { username, password });

function expectNoStore(res: ApiResponse, what: string): void {
  // A missing header reads as '' so the failure is this assertion, not toMatch's TypeError.
  expect(
    res.headers['cache-control'] ?? '',
    `${what} carries credentials: Cache-Control must be no-store`,
  ).toMatch(/\bno-store\b/);
}

describe('tokens and logins', { tags: ['security', 'api'] }, () => {
  test('a refresh token is no access token, and an access token is no refresh token', async ({
    client,
    stack,
  }) => {
    const user = await createUser(client);
    for (const path of ['/api/auth/me', '/api/datasets']) {
      const res = await bearer(user.session.refresh_token).get(path);
      expectStatus(res, 401, `a refresh token used as Bearer on ${path} must be refused`);
      expectCleanError(res, stack, 'a refresh token as Bearer');
    }
    const wrongType = await refresh(user.session.access_token);
    expectStatus(wrongType, 401, 'an access token at /api/auth/refresh must be refused');
    expectCleanError(wrongType, stack, 'an access token at refresh');
    const me = await user.client.data('GET', '/api/auth/me', {}, 'the access token itself works (control)');
    expect(me.username, '/api/auth/me names the token’s user').toBe(user.username);
  });

  test('a refresh token is single use: its second use is 401', async ({ client, stack }) => {
    const user = await createUser(client);
    const first = await refresh(user.session.refresh_token);
    const pair = unwrap<LoginResult>(first, 200, 'the first use of a refresh token must succeed');
    expectNoStore(first, 'a refresh answer');
    const me = await bearer(pair.access_token).get('/api/auth/me');
    expect(unwrap<{ username: string }>(me, 200, 'the refreshed access token works').username).toBe(
      user.username,
    );
    const second = await refresh(user.session.refresh_token);
    expectStatus(second, 401, 'the second use of one refresh token must be refused (single use)');
    expectCleanError(second, stack, 'a reused refresh token');
    unwrap(await refresh(pair.refresh_token), 200, 'the newly issued refresh token works once');
  });

  test('logout ends the token and the refresh token of that login, not another login', async ({ client }) => {
    const user = await createUser(client);
    const other = unwrap<LoginResult>(
      await loginAs(user.username, user.password),
      200,
      'a second login of the same user',
    );
    expectStatus(await user.client.post('/api/auth/logout'), 200, 'logout');
    expectStatus(
      await user.client.get('/api/auth/me'),
      401,
      'the access token must stop working after logout',
    );
    expectStatus(
      await refresh(user.session.refresh_token),
      401,
      'logout must revoke the refresh token of that login',
    );
    expectStatus(await bearer(other.access_token).get('/api/auth/me'), 200, 'logout ends only its own login');
    unwrap(await refresh(other.refresh_token), 200, 'the other login’s refresh token keeps working');
  });

  test('tokens and keys are served with Cache-Control: no-store', async ({ client }) => {
    const user = await createUser(client);
    const login = await loginAs(user.username, user.password);
    unwrap(login, 200, 'login');
    expectNoStore(login, 'a login answer');
    const key = await user.client.post('/api/auth/api-keys', { name: user.helper.name('key') });
    const created = unwrap<{ id: string }>(key, 201, 'creating an API key');
    user.helper.track('api-key', created.id);
    expectNoStore(key, 'an API key answer');
  });

  test('passwords over 72 bytes are refused (bcrypt would ignore the rest)', async ({
    helper,
    client: admin,
    stack,
  }) => {
    const register = (password: string) =>
      admin.post('/api/auth/register', { username: helper.name('pw'), password, role: 'viewer' });
    // Two character classes each, so that only the length is on trial (not the strength rule).
    for (const [what, password] of [
      ['73 ASCII bytes', `Q${'q'.repeat(72)}`],
      ['74 UTF-8 bytes in 37 characters', `É${'é'.repeat(36)}`],
    ]) {
      const res = await register(password);
      expectStatus(res, [400, 422], `a password of ${what} must be refused at register`);
      expectCleanError(res, stack, `a password of ${what}`);
    }
    const username = helper.name('pw72');
    // Two character classes, so only the length is on trial.
    const password = `Q${'q'.repeat(71)}`;
    unwrap(
      await admin.post('/api/auth/register', { username, password, role: 'viewer' }),
      201,
      'a password of exactly 72 bytes is accepted',
    );
    unwrap(await loginAs(username, password), 200, 'login with the 72-byte password');
    expectStatus(
      await loginAs(username, `${password}extra`),
      401,
      'a longer password sharing the first 72 bytes must not log in (no truncation)',
    );
  });

  test('repeated failed logins of one user are throttled with 429, other users are not', async ({
    client,
    stack,
  }) => {
    const victim = await createUser(client);
    const neighbour = await createUser(client);
    let throttled: ApiResponse | undefined;
    // Bounded: a handful of wrong passwords, stop at the first 429.
    for (let attempt = 0; attempt < 10 && !throttled; attempt++) {
      const res = await loginAs(victim.username, `wrong-${attempt}`);
      expectStatus(res, [401, 429], 'a wrong password');
      if (res.status === 429) throttled = res;
    }
    expect(throttled, '10 wrong passwords for one user must meet a 429').toBeDefined();
    expectCleanError(throttled!, stack, 'a throttled login');
    expect(Number(throttled!.headers['retry-after']), 'a throttled login says when to retry').toBeGreaterThan(
      0,
    );
    expectStatus(
      await loginAs(victim.username, victim.password),
      429,
      'while throttled even the right password is refused',
    );
    unwrap(await loginAs(neighbour.username, neighbour.password), 200, 'another user still logs in');
  });
});
