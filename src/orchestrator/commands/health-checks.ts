/** One row of the health table. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
  ms: number;
}

export type Check = { name: string; run: () => Promise<string> };

/** Runs checks in order; after the first failure the rest are skipped (each builds on the last). */
export async function runChecks(
  checks: readonly Check[],
  onResult?: (r: CheckResult) => void,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let failed = false;
  for (const check of checks) {
    let result: CheckResult;
    if (failed) result = { name: check.name, status: 'skipped', detail: 'an earlier check failed', ms: 0 };
    else {
      const t = Date.now();
      try {
        result = { name: check.name, status: 'ok', detail: await check.run(), ms: Date.now() - t };
      } catch (error) {
        failed = true;
        result = { name: check.name, status: 'failed', detail: (error as Error).message, ms: Date.now() - t };
      }
    }
    results.push(result);
    onResult?.(result);
  }
  return results;
}

export function renderChecks(results: readonly CheckResult[]): string {
  const width = Math.max(5, ...results.map((r) => r.name.length));
  const mark = { ok: 'OK  ', failed: 'FAIL', skipped: 'SKIP' } as const;
  const lines = results.map(
    (r) =>
      `  ${mark[r.status]}  ${r.name.padEnd(width)}  ${`${(r.ms / 1000).toFixed(1)}s`.padStart(6)}  ${r.detail.split('\n')[0]}`,
  );
  const failed = results.filter((r) => r.status === 'failed').length;
  lines.push('', failed === 0 ? 'health: every check passed' : `health: ${failed} check(s) failed`);
  return `${lines.join('\n')}\n`;
}
