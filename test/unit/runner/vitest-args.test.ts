import { describe, expect, test } from 'vitest';
import { orderSeedOf } from '../../../src/orchestrator/runner/order-seed.ts';
import { parseProgressChunk } from '../../../src/orchestrator/runner/progress-events.ts';
import { outcomesFromVitestJson } from '../../../src/orchestrator/runner/results.ts';
import { vitestArgs } from '../../../src/orchestrator/runner/vitest-args.ts';

const base = {
  paths: ['src/suites/database'],
  outDir: '/r/database',
  progressReporter: '/repo/src/orchestrator/runner/progress-reporter.ts',
  maxFailures: 5,
  failFast: false,
  seed: 9,
  configFile: 'vitest.suites.config.ts',
};

describe('vitest arguments', () => {
  test('reporters to files, bail from --max-failures, seed, the suite folder last', () => {
    const args = vitestArgs(base);
    expect(args[0]).toBe('run');
    expect(args).toContain('--config');
    expect(args).toContain('--reporter=junit');
    expect(args).toContain('--outputFile.junit=/r/database/junit.xml');
    expect(args).toContain('--outputFile.json=/r/database/results.json');
    expect(args).toContain(`--reporter=${base.progressReporter}`);
    expect(args).toContain('--bail=5');
    expect(args).toContain('--sequence.seed=9');
    // The seed alone orders nothing: files and tests are shuffled under it.
    expect(args).toContain('--sequence.shuffle.files');
    expect(args).toContain('--sequence.shuffle.tests');
    expect(args.at(-1)).toBe('src/suites/database');
    expect(args.some((a) => a.startsWith('--tagsFilter'))).toBe(false);
  });

  test("the report's failure reporter (failures.json) when given", () => {
    expect(vitestArgs({ ...base, failureReporter: '/repo/f.ts' })).toContain('--reporter=/repo/f.ts');
    expect(vitestArgs(base).filter((a) => a.startsWith('--reporter='))).toHaveLength(4);
  });

  test('--fail-fast bails at 1, --max-failures 0 means no bail', () => {
    expect(vitestArgs({ ...base, failFast: true })).toContain('--bail=1');
    expect(vitestArgs({ ...base, maxFailures: 0 }).some((a) => a.startsWith('--bail'))).toBe(false);
  });

  test("a part's files, or a folder without its parts' files (excluded by glob)", () => {
    const part = vitestArgs({
      ...base,
      paths: ['src/suites/security/a.test.ts', 'src/suites/security/b.test.ts'],
    });
    expect(part.slice(-2)).toEqual(['src/suites/security/a.test.ts', 'src/suites/security/b.test.ts']);
    expect(part.some((a) => a.startsWith('--exclude'))).toBe(false);
    const rest = vitestArgs({ ...base, paths: ['src/suites/security'], exclude: ['**/security/a.test.ts'] });
    expect(rest).toContain('--exclude=**/security/a.test.ts');
    expect(rest.at(-1)).toBe('src/suites/security');
  });

  test('markers become a tag filter; a suite with no matching test then passes empty', () => {
    const args = vitestArgs({ ...base, tagsFilter: 'api || database' });
    expect(args).toContain('--tagsFilter=api || database');
    expect(args).toContain('--passWithNoTests');
  });
});

describe('order seed', () => {
  test('a pure function of the run seed, spread over [1, 2^31) even for small seeds', () => {
    const seeds = [0, 1, 2, 3, 4, 5, 7, 42, 999_999, 2 ** 31 - 1];
    const order = seeds.map(orderSeedOf);
    expect(seeds.map(orderSeedOf)).toEqual(order);
    expect(new Set(order).size).toBe(seeds.length);
    for (const o of order) expect(Number.isInteger(o) && o >= 1 && o < 2 ** 31).toBe(true);
    expect(order.slice(0, 6).every((o) => o > 1000)).toBe(true);
  });
});

describe('progress lines and results', () => {
  test('chunks split anywhere yield whole events; torn and foreign lines are ignored', () => {
    const a = parseProgressChunk('{"type":"run-start","files":2}\n{"type":"te');
    expect(a.events).toEqual([{ type: 'run-start', files: 2 }]);
    const b = parseProgressChunk(`${a.rest}st","file":"f","name":"n","state":"passed"}\nnot json\n`);
    expect(b.events).toEqual([{ type: 'test', file: 'f', name: 'n', state: 'passed' }]);
    expect(b.rest).toBe('');
  });

  test('vitest JSON → outcomes, with a file that failed to load as one failure', () => {
    const outcomes = outcomesFromVitestJson(
      {
        testResults: [
          {
            name: '/repo/src/suites/database/crud.test.ts',
            status: 'failed',
            assertionResults: [
              {
                ancestorTitles: ['crud'],
                title: 'creates',
                status: 'passed',
                duration: 12.4,
                failureMessages: [],
              },
              {
                ancestorTitles: ['crud'],
                title: 'deletes',
                status: 'failed',
                duration: 3,
                failureMessages: ['expected 1 to be 2'],
              },
              { ancestorTitles: ['crud'], title: 'later', status: 'skipped', failureMessages: [] },
            ],
          },
          {
            name: '/repo/src/suites/database/broken.test.ts',
            status: 'failed',
            message: 'SyntaxError',
            assertionResults: [],
          },
        ],
      },
      '/repo',
    );
    expect(outcomes.map((o) => [o.file, o.name, o.status])).toEqual([
      ['src/suites/database/crud.test.ts', 'crud > creates', 'passed'],
      ['src/suites/database/crud.test.ts', 'crud > deletes', 'failed'],
      ['src/suites/database/crud.test.ts', 'crud > later', 'skipped'],
      ['src/suites/database/broken.test.ts', '(file: set-up, hooks or collection)', 'failed'],
    ]);
    expect(outcomes[0].durationMs).toBe(12);
    expect(outcomes[3].failureMessages).toEqual(['SyntaxError']);
  });
});
