/**
 * The CLI with a fake core (fake-core.ts) and the fixture suites: what cli-flow.test.ts runs, so
 * exit codes, signals, reports and teardown are tested in seconds without an engine.
 */
import { exitSoon, main } from '../../src/orchestrator/main.ts';
import { fakeCore } from './fake-core.ts';

exitSoon(
  await main(process.argv.slice(2), process.env, {
    core: async () => fakeCore,
    suitesRoot: 'test/engine/fixtures/cli-suites',
    selfCommand: [...process.execArgv, process.argv[1]],
  }),
);
