/** The seven integration suites, their upstream pytest file names and the markers their tests carry. */

export const MARKERS = [
  'api',
  'database',
  'streaming',
  'performance',
  'security',
  'regression',
  'slow',
  'integration',
  'workflows',
] as const;
export type Marker = (typeof MARKERS)[number];

export const SUITE_NAMES = [
  'api-workflows',
  'database',
  'streaming',
  'performance',
  'security',
  'end-to-end',
  'regression',
] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

/**
 * Files of a suite that run on a stack of their own, beside the rest of the suite: tests that must
 * own the service (a window that counts every request from our address) and that wait for that
 * window. Each part is a job like a suite: a fresh stack, used once.
 */
export interface SuitePart {
  /** The job is `<suite>:<name>`. */
  name: string;
  /** Test files (names inside the suite's folder): they run here and not with the rest. */
  files: readonly string[];
  /** PYNOMALY_* on top of the suite's own. */
  serviceEnv: Readonly<Record<string, string>>;
}

/** A job's name: `<suite>`, or `<suite>:<part>` for one of its parts (durations are keyed by it). */
export function jobNameOf(suite: { name: string }, part?: { name: string }): string {
  return part ? `${suite.name}:${part.name}` : suite.name;
}

export interface SuiteDefinition {
  name: SuiteName;
  /** The upstream file under tests/integration/ this suite replaces. */
  upstreamFile: string;
  /** Other upstream names of that file (the upstream seed calls the regression file test_regression_suite.py). */
  upstreamAliases: readonly string[];
  /** Folder of the suite's test files, relative to the repository root. */
  dir: string;
  /** Every tag a test in this suite carries (a suite without any selected marker is not started). */
  markers: readonly Marker[];
  /** Runs alone: no other suite's stack competes for CPU while it measures. */
  exclusive: boolean;
  description: string;
  /** PYNOMALY_* settings this suite's stack needs (the suite reads them back from its endpoints). */
  serviceEnv: Readonly<Record<string, string>>;
  /** Files that run on stacks of their own (each a job); the suite's other files run together. */
  parts: readonly SuitePart[];
}

const suite = (
  name: SuiteName,
  upstreamFile: string,
  markers: Marker[],
  description: string,
  options: {
    exclusive?: boolean;
    serviceEnv?: Record<string, string>;
    aliases?: string[];
    parts?: SuitePart[];
  } = {},
): SuiteDefinition => ({
  name,
  upstreamFile,
  upstreamAliases: Object.freeze([...(options.aliases ?? [])]),
  dir: `src/suites/${name}`,
  markers,
  exclusive: options.exclusive ?? false,
  description,
  serviceEnv: Object.freeze({ ...options.serviceEnv }),
  parts: Object.freeze(
    (options.parts ?? []).map((p) =>
      Object.freeze({
        ...p,
        files: Object.freeze([...p.files]),
        serviceEnv: Object.freeze({ ...p.serviceEnv }),
      }),
    ),
  ),
});

export const SUITES: readonly SuiteDefinition[] = Object.freeze([
  suite(
    'api-workflows',
    'test_api_workflows.py',
    ['api', 'integration', 'workflows', 'streaming', 'slow'],
    'REST workflows: datasets, detectors, training, models, experiments, AutoML, events',
  ),
  suite(
    'database',
    'test_database_integration.py',
    ['database', 'integration', 'slow'],
    'what the service persisted in PostgreSQL and Redis',
  ),
  suite(
    'streaming',
    'test_streaming_integration.py',
    ['streaming', 'integration', 'slow'],
    'streaming sessions over REST and WebSocket, reconnects',
  ),
  suite(
    'performance',
    'test_performance_integration.py',
    ['performance', 'slow'],
    'bounded load, latency and throughput against a baseline (runs alone)',
    { exclusive: true },
  ),
  suite(
    'security',
    'test_security_integration.py',
    ['security', 'api', 'slow'],
    'auth, injection, uploads, headers, rate limits, error hygiene',
    // Auth is always on here: the suite tests authentication and per-user authorisation.
    {
      serviceEnv: {
        PYNOMALY_AUTH_ENABLED: 'true',
        // Per user (or address) per 20 s: far above what the suite's tests here send (at most 419
        // requests in any 20 s, all users and addresses together), so none of them meets it. The
        // limiter itself is tested on the part's own stack (below).
        PYNOMALY_API_RATE_LIMIT: '1000',
        PYNOMALY_API_RATE_LIMIT_WINDOW: '20',
        // 20 failed logins per address per 10 s: above the (few) failed logins of these tests.
        PYNOMALY_LOGIN_FAILURE_WINDOW: '10',
        PYNOMALY_LOGIN_MAX_FAILURES_PER_IP: '20',
        // A small upload limit: the oversize test sends 6 MB instead of 101 MB (and meets the
        // service's own limit, not a transport one).
        PYNOMALY_MAX_DATASET_SIZE_MB: '5',
        // bcrypt at its minimum cost: the suite makes a user (a hash and a check) in most tests and
        // many failed logins; at the default cost (10) those were most of the service's CPU in this
        // suite. What is tested is the same: a stored bcrypt hash, checked, never returned.
        PYNOMALY_PASSWORD_HASH_ROUNDS: '4',
      },
      parts: [
        {
          // The address-wide limits: each test spends our address's whole budget, so nothing else
          // may share their stack, and each waits for its window to end. Alone, the windows can be
          // short: 4 s (they were 20 s and 10 s beside the rest, which cost 26 s of the suite's 45).
          name: 'limits',
          files: ['rate-limit.test.ts', 'login-throttle.test.ts'],
          serviceEnv: {
            // The burst must outpace 50 requests in 4 s (12.5/s): a correct service answered these
            // cheap 401s at ~75/s with the machine at load 32.
            PYNOMALY_API_RATE_LIMIT: '50',
            PYNOMALY_API_RATE_LIMIT_WINDOW: '4',
            // 10 failures sent at once land in one 4 s window (bcrypt at cost 4: ~1 ms a check).
            PYNOMALY_LOGIN_FAILURE_WINDOW: '4',
            PYNOMALY_LOGIN_MAX_FAILURES_PER_IP: '10',
          },
        },
      ],
    },
  ),
  suite(
    'end-to-end',
    'test_end_to_end_scenarios.py',
    ['integration', 'workflows', 'streaming', 'slow'],
    'user journeys: data scientist, security analyst, production deployment',
  ),
  suite(
    'regression',
    'test_regression_integration.py',
    ['regression', 'api', 'performance', 'security', 'slow'],
    'response shapes, configuration defaults, legacy model formats, performance baseline',
    { aliases: ['test_regression_suite.py'] },
  ),
]);

/**
 * Maps `api-workflows`, `api_workflows`, `test_api_workflows.py`, `tests/integration/test_api_workflows.py`,
 * `test_regression.py` (test_<suite>.py) and upstream aliases such as `test_regression_suite.py`.
 */
export function findSuite(given: string): SuiteDefinition | undefined {
  const base = given.trim().replace(/^\.?\/?(tests\/integration\/)?/, '');
  const normalized = base.replace(/_/g, '-');
  return SUITES.find(
    (s) =>
      s.name === normalized ||
      s.upstreamFile === base ||
      s.upstreamAliases.some((a) => a === base || a.replace(/\.py$/, '') === base) ||
      s.upstreamFile.replace(/\.py$/, '') === base ||
      s.name === normalized.replace(/^test-/, '').replace(/\.py$/, ''),
  );
}

export function suiteChoices(): string[] {
  return SUITES.flatMap((s) => [s.name, s.upstreamFile, ...s.upstreamAliases]);
}
