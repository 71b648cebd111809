/** Running the real CLI against the real engine, and asking the engine what is left of a run. */
import { execFileSync } from 'node:child_process';
import { type SpawnedCli, spawnCli } from '../support/spawn-cli.ts';

export { repoRoot } from '../support/spawn-cli.ts';
export const RUN_LABEL = 'pynomaly-it.run';

export interface CliRun extends SpawnedCli {
  /** Resolves with the run's ID once the CLI logged it. */
  runId: Promise<string>;
}

/** Optional: a prebuilt service image for these tests (else the CLI builds it from containers/). */
const imageArgs = process.env.PYNOMALY_IT_TEST_IMAGE ? ['--image', process.env.PYNOMALY_IT_TEST_IMAGE] : [];

/** The real CLI with the fixture suites (fixtures/cli-suites) against the real engine. */
export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  let resolveRunId!: (id: string) => void;
  const runId = new Promise<string>((resolve) => {
    resolveRunId = resolve;
  });
  const run = spawnCli(
    'test/engine/fixtures/cli-with-fixture-suites.ts',
    [...args, ...imageArgs],
    env,
    (output) => {
      const m = /"runId":"([^"]+)"/.exec(output);
      if (m) resolveRunId(m[1]);
    },
  );
  return { ...run, runId };
}

function docker(args: string[]): string[] {
  return execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Containers, networks and volumes carrying the run's label. */
export function resourcesOf(runId: string): string[] {
  const filter = `label=${RUN_LABEL}=${runId}`;
  return [
    ...docker(['ps', '-a', '-q', '--filter', filter]).map((id) => `container ${id}`),
    ...docker(['network', 'ls', '-q', '--filter', filter]).map((id) => `network ${id}`),
    ...docker(['volume', 'ls', '-q', '--filter', filter]).map((id) => `volume ${id}`),
  ];
}

export { until } from '../support/until.ts';
