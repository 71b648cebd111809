import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../src/orchestrator/config/errors.ts';
import { parseConfig } from '../../../src/orchestrator/config/parse.ts';
import type { ParseContext, RunConfig } from '../../../src/orchestrator/config/types.ts';

const ctx: ParseContext = {
  cores: 8,
  stdoutIsTTY: true,
  now: new Date('2026-01-02T03:04:05.678Z'),
  randomInt: () => 424242,
  cwd: '/repo',
  version: '9.8.7',
};

function parse(
  argv: string[],
  env: Record<string, string> = {},
  context: Partial<ParseContext> = {},
): RunConfig {
  const outcome = parseConfig(argv, env, { ...ctx, ...context });
  if (outcome.kind !== 'config') throw new Error('expected a config');
  return outcome.config;
}

function usageError(argv: string[], env: Record<string, string> = {}): UsageError {
  try {
    parseConfig(argv, env, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('parseConfig defaults', () => {
  test('no flags: run every suite, performance last, documented defaults', () => {
    const c = parse([]);
    expect(c.command).toBe('run');
    expect(c.suites.map((s) => s.name)).toEqual([
      'api-workflows',
      'database',
      'streaming',
      'security',
      'end-to-end',
      'regression',
      'performance',
    ]);
    expect(c.timeoutMs).toBe(1_800_000);
    expect(c.maxFailures).toBe(5);
    expect(c.parallel).toBe(4);
    expect(c.repeat).toBe(1);
    expect(c.logLevel).toBe('info');
    expect(c.logFormat).toBe('pretty');
    expect(c.interactive).toBe(true);
    expect(c.coverage || c.auth || c.failFast || c.keep || c.list).toBe(false);
    expect(c.seedGiven).toBe(false);
    expect(c.seed).toBe(424242 % 1_000_000);
    expect(c.reportsDir).toBe(`/repo/test_reports/20260102T030405Z-${c.runId}`);
    expect(c.reportsRoot).toBe('/repo/test_reports');
    expect(c.tagsFilter).toBeUndefined();
  });

  test('parallel default follows cores, at least 1 and at most 4', () => {
    expect(parse([], {}, { cores: 2 }).parallel).toBe(2);
    expect(parse([], {}, { cores: 1 }).parallel).toBe(1);
    expect(parse([], {}, { cores: 0 }).parallel).toBe(1);
    expect(parse([], {}, { cores: 64 }).parallel).toBe(4);
  });

  test('CI or a non-terminal stdout means JSON logs and no live view', () => {
    expect(parse([], { CI: 'true' }).logFormat).toBe('json');
    expect(parse([], { CI: 'true' }).interactive).toBe(false);
    expect(parse([], { CI: 'true' }).ci).toBe(true);
    expect(parse([], {}, { stdoutIsTTY: false }).logFormat).toBe('json');
    expect(parse([], { CI: 'false' }).ci).toBe(false);
    expect(parse(['--log-format', 'pretty'], { CI: '1' }).logFormat).toBe('pretty');
    expect(parse(['--log-format', 'pretty'], { CI: '1' }).interactive).toBe(false);
  });

  test('the config is frozen', () => {
    const c = parse([]);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.images)).toBe(true);
  });
});

describe('every flag', () => {
  test('upstream flags', () => {
    const c = parse([
      '--suite',
      'test_api_workflows.py',
      '--suite',
      'tests/integration/test_database_integration.py',
      '--coverage',
      '--auth',
      '--fail-fast',
      '--markers',
      'api,database',
      '--timeout',
      '90',
      '--max-failures',
      '2',
      '--log-level',
      'WARNING',
    ]);
    expect(c.suites.map((s) => s.name)).toEqual(['api-workflows', 'database']);
    expect(c.suiteArgs).toEqual(['test_api_workflows.py', 'tests/integration/test_database_integration.py']);
    expect([c.coverage, c.auth, c.failFast]).toEqual([true, true, true]);
    expect(c.markers).toEqual(['api', 'database']);
    expect(c.tagsFilter).toBe('api || database');
    expect(c.timeoutMs).toBe(90_000);
    expect(c.maxFailures).toBe(2);
    expect(c.logLevel).toBe('warn');
  });

  test('our flags', () => {
    const c = parse([
      '--parallel',
      '3',
      '--image',
      'sha256:abc',
      '--postgres-image',
      'pg:1',
      '--redis-image',
      'rd:1',
      '--keep',
      '--seed',
      '7',
      '--repeat',
      '4',
      '--reports-dir',
      'out/r1',
      '--log-format',
      'json',
    ]);
    expect(c.parallel).toBe(3);
    expect(c.images).toEqual({ pynomaly: 'sha256:abc', postgres: 'pg:1', redis: 'rd:1' });
    expect(c.keep).toBe(true);
    expect(c.seed).toBe(7);
    expect(c.seedGiven).toBe(true);
    expect(c.repeat).toBe(4);
    expect(c.reportsDir).toBe('/repo/out/r1');
    expect(c.reportsRoot).toBe('/repo/test_reports');
    expect(c.logFormat).toBe('json');
  });

  test('aliases and list forms', () => {
    const c = parse(['-s', 'security,streaming', '-m', 'security', '-m', 'streaming', '-x', '-j', '2']);
    expect(c.suites.map((s) => s.name)).toEqual(['streaming', 'security']);
    expect(c.markers).toEqual(['security', 'streaming']);
    expect(c.failFast).toBe(true);
    expect(c.parallel).toBe(2);
  });

  test('every upstream file name and spelling maps to its suite', () => {
    const names: [string, string][] = [
      ['test_api_workflows.py', 'api-workflows'],
      ['test_database_integration.py', 'database'],
      ['test_streaming_integration.py', 'streaming'],
      ['test_performance_integration.py', 'performance'],
      ['test_security_integration.py', 'security'],
      ['test_end_to_end_scenarios.py', 'end-to-end'],
      ['test_regression_integration.py', 'regression'],
      ['test_regression_suite.py', 'regression'],
      ['tests/integration/test_regression_suite.py', 'regression'],
      ['test_regression.py', 'regression'],
      ['test_database.py', 'database'],
      ['end_to_end', 'end-to-end'],
      ['api_workflows', 'api-workflows'],
      ['tests/integration/test_end_to_end_scenarios.py', 'end-to-end'],
    ];
    for (const [given, expected] of names)
      expect(parse(['--suite', given]).suites.map((s) => s.name)).toEqual([expected]);
  });

  test('sub-commands and --list', () => {
    expect(parse(['health']).command).toBe('health');
    expect(parse(['up', '--suite', 'database']).command).toBe('up');
    expect(parse(['clean']).command).toBe('clean');
    expect(parse(['list']).list).toBe(true);
    expect(parse(['run', '--list']).list).toBe(true);
    expect(parse(['clean']).suites).toEqual([]);
  });

  test('environment defaults apply when no flag is given, flags win', () => {
    const env = { PYNOMALY_IT_IMAGE: 'svc:env', PYNOMALY_IT_PARALLEL: '3', PYNOMALY_IT_SEED: '11' };
    expect(parse([], env).images.pynomaly).toBe('svc:env');
    expect(parse([], env).parallel).toBe(3);
    expect(parse([], env).seed).toBe(11);
    expect(parse(['--image', 'svc:flag', '--parallel', '1'], env).images.pynomaly).toBe('svc:flag');
    expect(parse(['--parallel', '1'], env).parallel).toBe(1);
  });

  test('--cpus: a positive quota up to the cores, from the flag or PYNOMALY_IT_CPUS; none by default', () => {
    expect(parse([]).cpus).toBeUndefined();
    expect(parse(['--cpus', '0.5']).cpus).toBe(0.5);
    expect(parse(['--cpus', '8']).cpus).toBe(8);
    expect(parse([], { PYNOMALY_IT_CPUS: '1.5' }).cpus).toBe(1.5);
    expect(parse(['--cpus', '2'], { PYNOMALY_IT_CPUS: '1.5' }).cpus).toBe(2);
  });

  test('--warm-stacks: one by default, 0 turns it off, whole numbers up to 8, PYNOMALY_IT_WARM_STACKS', () => {
    expect(parse([]).warmStacks).toBe(1);
    expect(parse(['--warm-stacks', '0']).warmStacks).toBe(0);
    expect(parse([], { PYNOMALY_IT_WARM_STACKS: '2' }).warmStacks).toBe(2);
    expect(usageError(['--warm-stacks', '9']).message).toContain('--warm-stacks');
    expect(usageError(['--warm-stacks', '1.5']).message).toContain('--warm-stacks');
  });

  test('--timeout: fractions of a second, up to a day (Node timers overflow above 2^31-1 ms)', () => {
    expect(parse(['--timeout', '0.5']).timeoutMs).toBe(500);
    expect(parse(['--timeout', '86400']).timeoutMs).toBe(86_400_000);
  });

  test('flakes: iterations and load levels; normal keeps --parallel, oversubscribed is 2 x cores', () => {
    const c = parse(
      ['flakes', '--iterations', '3', '--suite', 'regression', '-j', '2', '--cpus', '1'],
      {},
      { cores: 2 },
    );
    expect(c.command).toBe('flakes');
    expect(c.suites.map((s) => s.name)).toEqual(['regression']);
    expect(c.hunt.iterations).toBe(3);
    expect(c.hunt.levels).toEqual([
      { load: 'normal', parallel: 2, cpus: 1 },
      { load: 'oversubscribed', parallel: 4, cpus: 1 },
    ]);
    expect(c.reportsDir).toBe('/repo/test_reports/flakes/20260102T030405Z');
    expect(parse(['flakes', '--loads', 'oversubscribed']).hunt.levels.map((l) => l.load)).toEqual([
      'oversubscribed',
    ]);
    expect(parse(['flakes']).hunt.iterations).toBe(5);
  });

  test('--version prints the package version', () => {
    expect(parseConfig(['--version'], {}, ctx)).toEqual({ kind: 'output', text: '9.8.7' });
  });

  test('--help shows numeric flags as numbers', () => {
    const outcome = parseConfig(['--help'], {}, ctx);
    if (outcome.kind !== 'output') throw new Error('expected help text');
    for (const flag of ['timeout', 'max-failures', 'parallel', 'cpus', 'seed', 'repeat', 'iterations'])
      expect(outcome.text, flag).toMatch(new RegExp(`--${flag}\\b[^\\n]*(\\n(?!\\s+-)[^\\n]*)*\\[number\\]`));
    expect(outcome.text).not.toMatch(/--(timeout|parallel|seed)\b[^\n]*\[string\]/);
  });

  test('--help returns the help text with the exit codes', () => {
    const outcome = parseConfig(['--help'], {}, ctx);
    expect(outcome.kind).toBe('output');
    if (outcome.kind === 'output') {
      expect(outcome.text).toContain('--max-failures');
      expect(outcome.text).toMatch(/130\s+interrupted/);
      expect(outcome.text).toMatch(/2\s+set-up or usage error/);
    }
  });
});

describe('bad values are UsageErrors that list the valid choices', () => {
  test('unknown suite lists suites and upstream names', () => {
    const e = usageError(['--suite', 'apiworkflows']);
    expect(e.message).toContain('apiworkflows');
    expect(e.message).toContain('api-workflows');
    expect(e.message).toContain('test_end_to_end_scenarios.py');
    expect(e.message).toContain('test_regression_suite.py');
  });

  test('unknown marker lists markers', () => {
    const e = usageError(['--markers', 'api,fast']);
    expect(e.message).toContain('"fast"');
    expect(e.message).toContain(
      'api, database, streaming, performance, security, regression, slow, integration, workflows',
    );
  });

  test.each([
    [['--timeout', '0'], '--timeout must be a number greater than 0 and at most 86400'],
    [['--timeout', '-5'], '--timeout'],
    [['--timeout', 'soon'], 'got "soon"'],
    [['--timeout', '2147484'], '--timeout must be a number greater than 0 and at most 86400'],
    [['--timeout=1e12'], '--timeout'],
    [['--cpus', '0'], "--cpus must be a number greater than 0 and at most 8 (the machine's cores)"],
    [['--cpus', '9'], '--cpus must be a number greater than 0 and at most 8'],
    [['--cpus', 'half'], 'got "half"'],
    [['--iterations', '0'], '--iterations'],
    [['flakes', '--loads', 'heavy'], 'normal, oversubscribed'],
    [['--max-failures', '-1'], '--max-failures'],
    [['--max-failures', '2.5'], '--max-failures'],
    [['--parallel', '0'], '--parallel'],
    [['--repeat', 'x'], '--repeat'],
    [['--seed', 'abc'], '--seed must be a whole number from 0 to 2147483647, got "abc"'],
    [['-j', 'x'], '--parallel'],
    [['--timeout'], 'Not enough arguments following: timeout'],
    [['--cpus', '--keep'], 'Not enough arguments following: cpus'],
    [['-j'], 'Not enough arguments following: j'],
    [['--log-level', 'loud'], 'debug, info, warn, error'],
    [['--log-format', 'xml'], 'pretty, json'],
    [['--unknown-flag'], 'unknown-flag'],
    [['frobnicate'], 'run, health, up, clean, list'],
  ])('%j', (argv, expected) => {
    expect(usageError(argv).message).toContain(expected);
  });

  test('PYNOMALY_IT_CPUS and PYNOMALY_IT_PARALLEL are checked like the flags', () => {
    expect(usageError([], { PYNOMALY_IT_CPUS: '-1' }).message).toContain('--cpus');
    expect(usageError([], { PYNOMALY_IT_CPUS: 'lots' }).message).toContain('got "lots"');
    expect(usageError([], { PYNOMALY_IT_PARALLEL: '0' }).message).toContain('--parallel');
  });

  test('markers no selected suite carries', () => {
    expect(usageError(['--suite', 'database', '--markers', 'security']).message).toContain(
      'database (database',
    );
  });
});
