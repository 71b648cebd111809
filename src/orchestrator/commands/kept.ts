import { jobFiles } from '../scheduler/jobs.ts';
import type { SuiteResult } from '../scheduler/types.ts';

/** How to reach the stacks --keep left up. */
export function keptStackInstructions(results: readonly SuiteResult[]): string {
  const lines = ['', 'Stacks kept for failed suites (--keep); press Ctrl-C to remove them:'];
  for (const { job, kept: e } of results) {
    if (!e) continue;
    const files = jobFiles(job, job.suite.dir);
    const targets = [...files.exclude.map((g) => `--exclude='${g}'`), ...files.paths].join(' ');
    lines.push(
      '',
      `  ${job.id}`,
      `    http:  ${e.httpUrl}`,
      `    ws:    ${e.wsUrl}`,
      `    admin: ${e.admin.username} / ${e.admin.password}${e.authEnabled ? '' : ' (auth off)'}`,
      `    psql ${e.postgresUrl}`,
      `    redis-cli -u ${e.redisUrl}`,
      `    re-run:  PYNOMALY_IT_STACK_FILE=${e.stackFile} npx vitest run --config vitest.suites.config.ts ${targets}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
