/**
 * security / rate limiting (PYNOMALY_API_RATE_LIMIT requests a minute per client).
 *
 * Faults this file catches:
 * - no rate limit at all (a bounded burst over the limit never gets 429)
 * - 429 without Retry-After, or with a Retry-After that is not a positive number of seconds
 * - 429 outside the error envelope
 * - a limit that never lifts (still 429 after Retry-After)
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
    const burst = limit + 50;
    let limited: ApiResponse | undefined;
    let sent = 0;
    // Bounded: at most limit + 50 requests, 20 at a time, stop at the first 429.
    while (sent < burst && !limited) {
      const wave = await Promise.all(
        Array.from({ length: Math.min(20, burst - sent) }, () =>
          client.get('/api/datasets', { query: { limit: 1 } }),
        ),
      );
      sent += wave.length;
      limited = wave.find((r) => r.status === 429);
    }
    expect(limited, `${burst} requests against a limit of ${limit}/min must meet a 429`).toBeDefined();
    expect(sent, 'the limit must not trigger far below the configured value').toBeGreaterThan(limit * 0.5);
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
