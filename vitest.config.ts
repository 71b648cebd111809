import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// `npm test`: unit tests of pure logic (seconds, no containers) and tests of what crosses
// the process boundary (the real engine, real images). The seven integration suites are
// not here: the orchestrator runs them against a fresh stack (vitest.suites.config.ts).
export default defineConfig({
  test: {
    // vitest's default is one worker fewer than the cores: one worker on a 2-core machine. The cli
    // and engine files mostly wait on child processes and containers, so a second worker overlaps
    // that waiting (the cli project alone: 102 s with one, 69 s with two, on 2 cores).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'containers/pynomaly/test/**/*.test.ts'],
          testTimeout: 20_000,
          // Pure logic: files share one module graph per worker (most of this project's time was
          // importing the same modules again for every file).
          isolate: false,
        },
      },
      {
        // The CLI as a user runs it: real child processes and signals against a fake core.
        // Not in `unit`, which stays pure logic and runs in seconds.
        test: {
          name: 'cli',
          include: ['test/cli/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.ts'],
          // fixtures/cli-suites are suites the CLI runs in these tests, not tests of their own.
          exclude: ['test/engine/fixtures/**'],
          setupFiles: ['test/engine/setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
