/**
 * security / rate limiting: PYNOMALY_API_RATE_LIMIT requests per client in a window of
 * PYNOMALY_API_RATE_LIMIT_WINDOW seconds (the suite's stack sets a short window, read from its
 * serviceEnv). No fixed sleep: the test waits for the real limiter to lift with expect.poll.
 *
 * Faults this file catches:
 * - no rate limit at all (a bounded burst over the limit never gets 429)
 * - requests without valid credentials never counted (authentication before the limiter)
 *   (checked by faults/catalog.ts: sec-auth-before-rate-limit)
 * - 429 without Retry-After, or with a Retry-After that is not 1..window seconds
 * - missing or wrong X-RateLimit-Limit / -Remaining / -Reset headers
 * - 429 outside the error envelope
 * - a window other than the configured one: the limit does not lift within the window, or a new
 *   window does not last the configured time
 *   (checked by faults/catalog.ts: sec-rate-window-ignored)
 * - one budget for everyone behind an address: a logged-in user throttled by anonymous traffic
 */
import { describe, expect } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { ApiClient, type ApiResponse, expectStatus } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';
import { createUser } from './users.ts';

// Concurrent requests per wave: enough to outpace the suite's limit (1,000 per 20 s) on a loaded machine.
const WAVE = 100;

describe('rate limiting', { tags: ['security', 'api', 'slow'] }, () => {
  test('a bounded burst over the limit gets 429 with Retry-After, and the limit lifts within the window', async ({
    client: admin,
    stack,
  }) => {
    const limit = Number(stack.serviceEnv.PYNOMALY_API_RATE_LIMIT);
    const windowSeconds = Number(stack.serviceEnv.PYNOMALY_API_RATE_LIMIT_WINDOW ?? 60);
    expect(Number.isInteger(limit) && limit > 0, 'the stack must set PYNOMALY_API_RATE_LIMIT').toBe(true);
    expect(
      Number.isInteger(windowSeconds) && windowSeconds > 0 && windowSeconds <= 30,
      'the stack must set a short PYNOMALY_API_RATE_LIMIT_WINDOW for this suite',
    ).toBe(true);
    // Unauthenticated requests are counted like any other and cost the service almost nothing,
    // so a bounded burst outpaces the window.
    const client = new ApiClient(stack.httpUrl);
    const hit = () => client.get('/api/datasets', { query: { limit: 1 } });
    // Logged in before the burst: a valid token spends its user's budget, not the address's.
    const user = await createUser(admin);

    const probe = await hit();
    expect(probe.headers['x-ratelimit-limit'], 'X-RateLimit-Limit must be the configured limit').toBe(
      String(limit),
    );
    const remaining = Number(probe.headers['x-ratelimit-remaining']);
    expect(
      Number.isInteger(remaining) && remaining >= 0 && remaining < limit,
      `X-RateLimit-Remaining must count down from ${limit}, got ${probe.headers['x-ratelimit-remaining']}`,
    ).toBe(true);
    const reset = Number(probe.headers['x-ratelimit-reset']);
    expect(
      Number.isFinite(reset) && reset >= 0 && reset <= windowSeconds,
      `the limit's window must be the configured one: X-RateLimit-Reset must be 0..${windowSeconds} s, got ${probe.headers['x-ratelimit-reset']}`,
    ).toBe(true);

    // Bounded: at most a few windows' worth, WAVE at a time, stop at the first 429.
    const burst = limit * 4;
    let limited: ApiResponse | undefined;
    for (let sent = 0; sent < burst && !limited; sent += WAVE) {
      const wave = await Promise.all(Array.from({ length: WAVE }, hit));
      limited = wave.find((r) => r.status === 429);
    }
    expect(
      limited,
      `${burst} requests against ${limit} per ${windowSeconds} s must meet a 429`,
    ).toBeDefined();
    const retryAfter = Number(limited!.headers['retry-after']);
    expect(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds,
      `Retry-After must be 1..${windowSeconds} s, got ${limited!.headers['retry-after']}`,
    ).toBe(true);
    expect(limited!.headers['x-ratelimit-remaining'], 'a 429 has X-RateLimit-Remaining: 0').toBe('0');
    expect(limited!.headers['x-ratelimit-limit'], 'a 429 names the limit').toBe(String(limit));
    expectCleanError(limited!, stack, 'a 429');
    expectStatus(
      await user.client.get('/api/datasets', { query: { limit: 1 } }),
      200,
      'a logged-in user keeps a budget of their own while anonymous requests from the address are limited',
    );

    // The limiter lifts when the window ends: poll it (about 4 requests a second, bounded).
    let lifted: ApiResponse | undefined;
    await expect
      .poll(
        async () => {
          lifted = await hit();
          return lifted.status;
        },
        {
          timeout: (windowSeconds + 3) * 1000,
          interval: 250,
          message: `the limit's window must be the configured one: the limit must lift within the ${windowSeconds} s window (PYNOMALY_API_RATE_LIMIT_WINDOW)`,
        },
      )
      .toBe(401);
    // The first request after the lift opens a new window, whose length is the configured one:
    // a window of another length (one that ended early because it began before the burst) shows here.
    const freshReset = Number(lifted!.headers['x-ratelimit-reset']);
    expect(
      freshReset >= windowSeconds - 2 && freshReset <= windowSeconds,
      `the limit's window must be the configured one (PYNOMALY_API_RATE_LIMIT_WINDOW = ${windowSeconds} s): X-RateLimit-Reset of a new window's first request must be ${windowSeconds - 2}..${windowSeconds}, got ${lifted!.headers['x-ratelimit-reset']}`,
    ).toBe(true);
  }, 120_000);
});
