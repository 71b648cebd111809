import type { SuiteJob } from '../scheduler/types.ts';
import type { RunningStack } from '../stack/types.ts';

/** How to reach the stacks --keep left up. */
export function keptStackInstructions(kept: readonly { job: SuiteJob; stack: RunningStack }[]): string {
  const lines = ['', 'Stacks kept for failed suites (--keep); press Ctrl-C to remove them:'];
  for (const { job, stack } of kept) {
    const e = stack.endpoints;
    lines.push(
      '',
      `  ${job.id}`,
      `    http:  ${e.httpUrl}`,
      `    ws:    ${e.wsUrl}`,
      `    admin: ${e.admin.username} / ${e.admin.password}${e.authEnabled ? '' : ' (auth off)'}`,
      `    psql ${e.postgresUrl}`,
      `    redis-cli -u ${e.redisUrl}`,
      `    re-run:  PYNOMALY_IT_STACK_FILE=${e.reportsDir}/stack.json npx vitest run --config vitest.suites.config.ts ${job.suite.dir}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
