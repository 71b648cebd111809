/**
 * The CLI over a fake core (fake-cli.ts: "stacks" are HTTP servers), for the test/cli files.
 * The fake core keeps its state (one `.alive` file per stack up) in the test's scratch folder.
 */
import { readdirSync } from 'node:fs';
import { type SpawnedCli, spawnCli } from '../support/spawn-cli.ts';

export { repoRoot as root } from '../support/spawn-cli.ts';

export interface Run extends SpawnedCli {
  /** The fake core's state folder (the scratch folder). */
  state: string;
}

export function cli(args: string[], env: Record<string, string> = {}): Run {
  const run = spawnCli('test/cli/fake-cli.ts', args, (scratch) => ({ ...env, FAKE_CORE_STATE_DIR: scratch }));
  return { ...run, state: run.scratch };
}

/** The fake core's stacks still up. */
export const alive = (state: string) => readdirSync(state).filter((f) => f.endsWith('.alive'));
