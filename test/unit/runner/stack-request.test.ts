import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/orchestrator/config/parse.ts';
import type { RunConfig } from '../../../src/orchestrator/config/types.ts';
import { stackRequestOf } from '../../../src/orchestrator/runner/run-suite.ts';
import { expandJobs } from '../../../src/orchestrator/scheduler/jobs.ts';

function config(argv: string[]): RunConfig {
  const outcome = parseConfig(['run', ...argv, '--reports-dir', '/r'], {});
  if (outcome.kind !== 'config') throw new Error('expected a config');
  return outcome.config;
}

describe("a job's stack request", () => {
  test("a part's stack: a label-safe name, its own folder, the suite's settings under its own", () => {
    const c = config(['--suite', 'security']);
    const [rest, limits] = expandJobs(c.suites, c.repeat);
    const restRequest = stackRequestOf(rest, c);
    const limitsRequest = stackRequestOf(limits, c);
    expect(restRequest.suite).toBe('security');
    expect(limitsRequest.suite).toBe('security-limits');
    expect(limitsRequest.reportsDir).toBe('/r/security/limits');
    expect(restRequest.extraEnv?.PYNOMALY_API_RATE_LIMIT_WINDOW).toBe('20');
    expect(limitsRequest.extraEnv?.PYNOMALY_API_RATE_LIMIT_WINDOW).toBe('4');
    // What the part does not set comes from its suite.
    expect(limitsRequest.extraEnv?.PYNOMALY_AUTH_ENABLED).toBe('true');
    expect(limitsRequest.extraEnv?.PYNOMALY_PASSWORD_HASH_ROUNDS).toBe('4');
  });

  test('with --repeat each iteration is named apart', () => {
    const c = config(['--suite', 'security', '--repeat', '2']);
    const names = expandJobs(c.suites, c.repeat).map((j) => stackRequestOf(j, c).suite);
    expect(names).toEqual(['security-1', 'security-limits-1', 'security-2', 'security-limits-2']);
  });
});
