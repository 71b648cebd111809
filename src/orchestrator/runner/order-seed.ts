/**
 * The seed vitest shuffles a suite's files and tests with, derived from the run's --seed.
 * Vitest's shuffle steps through sin(seed), sin(seed + 1), ...: small seeds such as 4 give
 * the identity order for a handful of items. A 32-bit mix (murmur3's finaliser) spreads
 * every run seed over [1, 2^31) while the same run seed still gives the same order.
 */
export function orderSeedOf(runSeed: number): number {
  let h = (runSeed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return (h % (2 ** 31 - 1)) + 1;
}
