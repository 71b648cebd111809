import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT } from '../config/errors.ts';
import type { HuntLevel, RunConfig } from '../config/types.ts';
import { countRuns, type HuntRun, verdict } from '../flakes/count.ts';
import { huntRunArgs } from '../flakes/run-args.ts';
import { renderHuntTable } from '../flakes/table.ts';
import type { CommandDeps } from '../session/deps.ts';
import { watchInterrupts } from './signals.ts';

/** This same program's `run` in a child process (same stdout/stderr); resolves with its exit code. */
function runChild(
  self: readonly string[],
  args: string[],
  cwd: string,
  onChild: (kill: (s: NodeJS.Signals) => void) => void,
) {
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [...self, ...args], { cwd, stdio: 'inherit' });
    onChild((signal) => child.kill(signal));
    child.on('error', () => resolve(EXIT.setupOrUsage));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? EXIT.interrupted : EXIT.setupOrUsage)));
  });
}

async function readRun(level: HuntLevel, dir: string, exitCode: number): Promise<HuntRun | undefined> {
  try {
    const record = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
    return { ...level, seed: record.config.seed, exitCode, reportsDir: dir, results: record.results };
  } catch {
    return undefined;
  }
}

/**
 * `flakes`: per load level one `run --repeat <iterations>` (fresh stacks, the run's own reports),
 * then every run.json merged into per-test pass counts: flakes.json and flakes.txt.
 */
export async function flakesCommand(config: RunConfig, deps: CommandDeps): Promise<number> {
  const root = config.reportsDir;
  await mkdir(root, { recursive: true });
  let kill: ((s: NodeJS.Signals) => void) | undefined;
  const interrupts = watchInterrupts((signal) => kill?.(signal));
  const runs: HuntRun[] = [];
  let worst: number = EXIT.passed;
  try {
    for (const level of config.hunt.levels) {
      if (interrupts.signal.aborted) break;
      const dir = join(root, level.load);
      const args = huntRunArgs(config, level, dir);
      process.stderr.write(`\nflakes: ${level.load} load: pynomaly-it ${args.join(' ')}\n`);
      const code = await runChild(deps.selfCommand, args, config.cwd, (k) => {
        kill = k;
      });
      kill = undefined;
      const run = await readRun(level, dir, code);
      if (run) runs.push(run);
      if (code === EXIT.interrupted || code === EXIT.setupOrUsage) {
        worst = code;
        break;
      }
      if (code !== EXIT.passed) worst = EXIT.testsFailed;
    }
  } finally {
    interrupts.dispose();
  }
  const counts = countRuns(runs);
  const table = renderHuntTable(runs, counts, config.hunt.iterations);
  const json = { iterations: config.hunt.iterations, runs: runs.map(({ results, ...r }) => r), ...counts };
  await writeFile(join(root, 'flakes.json'), `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(join(root, 'flakes.txt'), table);
  const flaky = counts.tests.filter((t) => verdict(t) !== 'ok');
  process.stdout.write(
    `\n${table}\nflakes: ${flaky.length} test(s) failed at least once; counts in ${join(root, 'flakes.txt')} and ${join(root, 'flakes.json')}\n`,
  );
  return interrupts.signal.aborted ? EXIT.interrupted : worst;
}
