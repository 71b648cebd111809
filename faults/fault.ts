import type { SuiteName } from '../src/orchestrator/suites/catalog.ts';

export interface Fault {
  /** Short kebab-case name; also the image name pynomaly-it-fault/<name>. */
  name: string;
  /** The suite that must go red. */
  suite: SuiteName;
  /** Path under containers/pynomaly/src. */
  file: string;
  /** Exact text that occurs exactly once in `file`. */
  find: string;
  replace: string;
  /** What the fault breaks, in the service's terms. */
  why: string;
  /** Run the suite with --auth (the fault is only visible with authentication on). */
  auth?: boolean;
  /**
   * Text that must appear in a failed test's name or failure message for the catch to count:
   * the suite must go red for the right reason, not because the fault broke something else.
   * Matched case-insensitively by faults/verdict.ts; a fault without it is reported "unverified".
   */
  expect?: string;
  /**
   * Part of the CI subset (`fault-check --ci`): one cheap fault per suite, checked on every CI
   * run. Pick a fault whose suite is short.
   */
  ci?: boolean;
}
