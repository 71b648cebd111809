/**
 * security / failed logins throttled per client address: one client guessing passwords across
 * many usernames (each below the per-user limit) meets 429 after PYNOMALY_LOGIN_MAX_FAILURES_PER_IP
 * failures in a window of PYNOMALY_LOGIN_FAILURE_WINDOW seconds (the suite's stack sets both
 * small); then even a right password from that address is refused until the window ends. The
 * test waits for the real window to end (expect.poll), so later tests log in as usual.
 *
 * Faults this file catches:
 * - failed logins counted per username only (checked by faults/catalog/security.ts:
 *   sec-login-ip-unthrottled)
 * - a throttled login without Retry-After, outside the envelope, or not naming its scope
 * - the address throttle never lifting within its window
 */
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { ApiClient, expectError, expectStatus } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';
import { createUser } from './users.ts';

describe('failed logins per address', { tags: ['security', 'api', 'slow'] }, () => {
  test('failures across many usernames from one address meet 429, then the window lifts', async ({
    client,
    stack,
  }) => {
    const max = Number(stack.serviceEnv.PYNOMALY_LOGIN_MAX_FAILURES_PER_IP);
    const windowSeconds = Number(stack.serviceEnv.PYNOMALY_LOGIN_FAILURE_WINDOW);
    expect(
      Number.isInteger(max) && max > 0 && Number.isInteger(windowSeconds) && windowSeconds <= 10,
      'the stack must set PYNOMALY_LOGIN_MAX_FAILURES_PER_IP and a short PYNOMALY_LOGIN_FAILURE_WINDOW',
    ).toBe(true);
    // Registered and logged in before the address is throttled.
    const user = await createUser(client);
    const anonymous = new ApiClient(stack.httpUrl);
    const login = (username: string, password: string) =>
      anonymous.post('/api/auth/login', { username, password });

    const wrong = () => login(`nobody-${randomUUID().slice(0, 12)}`, 'Wrong-password-1');
    // One burst of `max` failures (a fresh username each: no per-user count grows past 1), sent at
    // once so every one lands in the same short window however slow bcrypt is; then a few more.
    const burst = await Promise.all(Array.from({ length: max }, wrong));
    for (const res of burst) expectStatus(res, [401, 429], 'a login of an unknown user');
    let throttled = burst.find((res) => res.status === 429);
    for (let extra = 0; extra < 3 && !throttled; extra++) {
      const res = await wrong();
      expectStatus(res, [401, 429], 'a login of an unknown user');
      if (res.status === 429) throttled = res;
    }
    expect(throttled, `${max} failed logins from one address must meet a 429`).toBeDefined();
    expect(
      burst.filter((res) => res.status === 401).length,
      `nearly all of the first ${max} failures are 401: the limit is ${max}, not fewer (a few failures of earlier tests may share the window)`,
    ).toBeGreaterThanOrEqual(max - 6);
    expectError(throttled!, 429, 'TOO_MANY_LOGIN_ATTEMPTS', 'a throttled address');
    expectCleanError(throttled!, stack, 'a throttled address');
    expect(throttled!.body.error.details?.scope, 'the 429 names the address as its scope').toBe('ip');
    const retryAfter = Number(throttled!.headers['retry-after']);
    expect(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds,
      `Retry-After must be 1..${windowSeconds} s, got ${throttled!.headers['retry-after']}`,
    ).toBe(true);
    expectError(
      await login(user.username, user.password),
      429,
      'TOO_MANY_LOGIN_ATTEMPTS',
      'while the address is throttled even a right password is refused',
    );
    await expect
      .poll(async () => (await login(user.username, user.password)).status, {
        timeout: (windowSeconds + 5) * 1000,
        interval: 250,
        message: `the address throttle must lift within the ${windowSeconds} s window`,
      })
      .toBe(200);
  });
});
