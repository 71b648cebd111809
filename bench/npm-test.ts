/** `npm test`'s projects, each timed on its own: the unit project (target 10 s) and the others. */
import { timed } from './lib/process.ts';
import { round } from './lib/stats.ts';

export async function benchNpmTest(projects: readonly string[] = ['unit', 'cli', 'engine']) {
  const seconds: Record<string, { seconds: number; passed: boolean }> = {};
  for (const project of projects) {
    const r = await timed('npx', ['vitest', 'run', '--config', 'vitest.config.ts', '--project', project]);
    seconds[project] = { seconds: round(r.ms / 1000, 1), passed: r.code === 0 };
  }
  return seconds;
}
