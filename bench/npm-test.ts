/**
 * `npm test`'s steps, each timed on its own and one after another: typecheck, lint, then vitest's
 * unit, cli and engine projects (one `npm test` runs the projects in one vitest; timed apart here
 * so the unit project's own time, target 10 s, is visible).
 */

import { timed } from './lib/process.ts';
import type { NpmTestFigures, Step } from './lib/results.ts';
import { round } from './lib/stats.ts';

const MINUTE = 60_000;
const STEPS: { name: string; command: string[]; timeoutMs: number }[] = [
  { name: 'typecheck', command: ['npm', 'run', 'typecheck'], timeoutMs: 5 * MINUTE },
  { name: 'lint', command: ['npm', 'run', 'lint'], timeoutMs: 3 * MINUTE },
  ...['unit', 'cli', 'engine'].map((project) => ({
    name: project,
    command: ['npx', 'vitest', 'run', '--config', 'vitest.config.ts', '--project', project],
    timeoutMs: (project === 'engine' ? 25 : 10) * MINUTE,
  })),
];

export async function benchNpmTest(cwd: string, log: (line: string) => void): Promise<NpmTestFigures> {
  const steps: Record<string, Step> = {};
  for (const step of STEPS) {
    const [command, ...args] = step.command;
    const r = await timed(command, args, { cwd, timeoutMs: step.timeoutMs });
    steps[step.name] = { seconds: round(r.ms / 1000, 1), passed: r.code === 0 };
    log(
      `npm-test: ${step.name} ${steps[step.name].seconds} s, ${r.timedOut ? 'timed out' : `exit ${r.code}`}`,
    );
    if (r.code !== 0) log(r.output.slice(-1500));
  }
  const totalSeconds = round(
    Object.values(steps).reduce((a, x) => a + x.seconds, 0),
    1,
  );
  return { steps, totalSeconds };
}
