import { defineConfig } from 'vitest/config';

// The seven integration suites. The orchestrator runs one suite at a time against a fresh stack:
//   PYNOMALY_IT_STACK_FILE=<endpoints.json> vitest run --config vitest.suites.config.ts src/suites/<suite>
// Upstream's pytest markers are vitest tags here; `--markers` of the CLI becomes `--tags-filter`.
const markers: { name: string; description: string }[] = [
  { name: 'api', description: 'HTTP API behaviour' },
  { name: 'database', description: 'what the service persisted in PostgreSQL / Redis' },
  { name: 'streaming', description: 'streaming sessions over REST and WebSocket' },
  { name: 'performance', description: 'bounded load, latency and throughput' },
  { name: 'security', description: 'attacks, auth, headers, error hygiene' },
  { name: 'regression', description: 'contract, formats and defaults that must not change' },
  { name: 'slow', description: 'takes more than a few seconds' },
  { name: 'integration', description: 'crosses more than one component' },
  { name: 'workflows', description: 'multi-step user journeys' },
];

export default defineConfig({
  test: {
    include: ['src/suites/**/*.test.ts'],
    globalSetup: ['src/suites/fixtures/global-setup.ts'],
    tags: markers,
    strictTags: true,
    pool: 'forks',
    // Some files restart the service container or stop Redis: files of one suite run one after another.
    fileParallelism: false,
    // One worker runs a suite's files in turn, without a fresh module graph each: importing the
    // fixtures again per file cost up to 14 s a suite. No file keeps state in a module (fixtures
    // are per test, the stack is read afresh), so this changes only the time.
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    retry: 0,
    // Files and the tests inside them run in an order shuffled under the run's seed, so a test
    // that leans on another's side effects shows up. The orchestrator passes --sequence.seed (the
    // suite's orderSeed in run.json); a plain run takes PYNOMALY_IT_ORDER_SEED, or vitest draws
    // a seed and prints it ("Running tests with seed ...").
    sequence: {
      shuffle: { files: true, tests: true },
      seed: process.env.PYNOMALY_IT_ORDER_SEED ? Number(process.env.PYNOMALY_IT_ORDER_SEED) : undefined,
    },
    allowOnly: false,
    passWithNoTests: false,
  },
});
