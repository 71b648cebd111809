/** Exit codes of the CLI (documented in --help and the README). */
export const EXIT = {
  passed: 0,
  testsFailed: 1,
  setupOrUsage: 2,
  interrupted: 130,
} as const;

/** A flag, suite or marker the user got wrong: exit 2, message lists the valid choices. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
