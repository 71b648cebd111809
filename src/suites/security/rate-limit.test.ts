/**
 * security / rate limiting (PYNOMALY_API_RATE_LIMIT requests a minute per client).
 *
 * Faults this file catches:
 * - no rate limit at all (a bounded burst over the limit never gets 429)
 * - 429 without Retry-After, or with a Retry-After that is not a positive number of seconds
 * - 429 outside the error envelope
 * - a limit that never lifts (still 429 after Retry-After)
 * - a limit that triggers far from what X-RateLimit-Remaining announced
 */
import { describe, expect, test } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import type { ApiResponse } from '../fixtures/http-client.ts';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { useStack } from '../fixtures/stack.ts';

describe('rate limiting', { tags: ['security', 'api', 'slow'] }, () => {
  const it = useIntegrationHelper();

  test('a bounded burst over the limit gets 429 with Retry-After, and the limit lifts', async () => {
    const { client } = it;
    const stack = useStack();
    const limit = Number(stack.serviceEnv.PYNOMALY_API_RATE_LIMIT);
    expect(
      Number.isInteger(limit) && limit > 0,
      'the stack must set PYNOMALY_API_RATE_LIMIT for this suite',
    ).toBe(true);
    // Earlier tests of this suite spent part of the window: the service says how much is left.
    const probe = await client.get('/api/datasets', { query: { limit: 1 } });
    expect(probe.status).toBe(200);
    const remaining = Number(probe.headers['x-ratelimit-remaining']);
    expect(
      Number.isInteger(remaining) && remaining >= 0 && remaining < limit,
      `X-RateLimit-Remaining must count down from ${limit}, got ${probe.headers['x-ratelimit-remaining']}`,
    ).toBe(true);
    // A new window may open mid-burst: allow one more window's worth, still bounded.
    const burst = remaining + limit + 50;
    let limited: ApiResponse | undefined;
    let sent = 0;
    // Bounded: 20 at a time, stop at the first 429.
    while (sent < burst && !limited) {
      const wave = await Promise.all(
        Array.from({ length: Math.min(20, burst - sent) }, () =>
          client.get('/api/datasets', { query: { limit: 1 } }),
        ),
      );
      sent += wave.length;
      limited = wave.find((r) => r.status === 429);
    }
    expect(limited, `${burst} requests with ${remaining} left of ${limit}/min must meet a 429`).toBeDefined();
    // Never fewer than announced; more only if a new window opened mid-burst.
    expect(sent, `the limit must not trigger before the ${remaining} requests announced`).toBeGreaterThan(
      remaining,
    );
    const retryAfter = Number(limited!.headers['retry-after']);
    expect(
      Number.isFinite(retryAfter) && retryAfter > 0 && retryAfter <= 60,
      `Retry-After must be 1..60 s, got ${limited!.headers['retry-after']}`,
    ).toBe(true);
    expectCleanError(limited!, stack, 'a 429');
    await new Promise((resolve) => setTimeout(resolve, (retryAfter + 1) * 1000));
    const after = await client.get('/api/datasets', { query: { limit: 1 } });
    expect(after.status, 'after Retry-After the client must be served again').toBe(200);
  }, 150_000);
});
