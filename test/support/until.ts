import { vi } from 'vitest';

/** Waits for `condition` with vitest's own `vi.waitFor`; the error names `what`. */
export async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  await vi.waitFor(
    () => {
      if (!condition()) throw new Error(`not within ${ms} ms: ${what}`);
    },
    { timeout: ms, interval: 100 },
  );
}
