import type { SuiteDefinition, SuitePart } from '../suites/catalog.ts';

export type SuiteStatus =
  | 'queued'
  | 'starting'
  | 'running'
  | 'passed'
  | 'failed'
  | 'timed_out'
  /** Stack or runner failed before tests could report (set-up error inside a suite). */
  | 'error'
  | 'interrupted'
  /** Never started: --fail-fast after a failure, or the run was interrupted first. */
  | 'not_run';

export const FINAL_STATUSES: readonly SuiteStatus[] = [
  'passed',
  'failed',
  'timed_out',
  'error',
  'interrupted',
  'not_run',
];

export interface TestOutcome {
  /** Test file relative to the repository root. */
  file: string;
  /** Describe blocks and test title, joined with ' > '. */
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  failureMessages: string[];
  /** Vitest tags (the suites' markers), when the test has any. */
  tags?: string[];
}

export interface SuiteJob {
  /** `<suite>`, `<suite>:<part>` for a part, then `#<iteration>` with --repeat. */
  id: string;
  suite: SuiteDefinition;
  /** One of the suite's parts (its files on their own stack); none: the suite's other files. */
  part?: SuitePart;
  /** 1-based. */
  iteration: number;
}

export interface SuiteResult {
  job: SuiteJob;
  status: SuiteStatus;
  startedAt?: string;
  durationMs: number;
  /** Seed vitest shuffled this suite's files and tests with (the run's --seed replays the order). */
  orderSeed?: number;
  /** Time to a healthy stack, and time in vitest. */
  phases: {
    stackMs?: number;
    /** The stack was started ahead, while earlier suites ran: stackMs is only what was left to wait. */
    stackWarm?: boolean;
    testsMs?: number;
    teardownMs?: number;
    /** The stack was removed after the job had ended, while its lane went on: not in durationMs. */
    teardownInBackground?: boolean;
  };
  tests: TestOutcome[];
  /** Set-up or runner error, timeout message. */
  error?: string;
  /** Folder of this suite's artefacts, relative to the run's reports folder. */
  dir: string;
  logFiles: string[];
  serviceLogTail?: string;
  /** The lane of the run it ran in (0-based, fewer than --parallel): the report's timeline. */
  slot?: number;
  /** The stack stayed up (--keep and failed): how to reach it. */
  kept?: {
    httpUrl: string;
    wsUrl: string;
    postgresUrl: string;
    redisUrl: string;
    admin: { username: string; password: string };
    authEnabled: boolean;
    /** Its endpoints file, for running the suite against it again. */
    stackFile: string;
  };
  /** Raw V8 dumps of the service (--coverage), and the line coverage c8 computed from them. */
  coverageDir?: string;
  serviceCoverage?: import('../reports/service-coverage.ts').CoverageSummary;
  /** OpenAPI operations this suite exercised (--coverage). */
  apiCoverage?: import('../reports/api-coverage.ts').ApiCoverage;
}

export function counts(tests: readonly TestOutcome[]) {
  return {
    total: tests.length,
    passed: tests.filter((t) => t.status === 'passed').length,
    failed: tests.filter((t) => t.status === 'failed').length,
    skipped: tests.filter((t) => t.status === 'skipped').length,
  };
}

export function isFailure(status: SuiteStatus): boolean {
  return status === 'failed' || status === 'timed_out' || status === 'error';
}
