import { describe, expect, test } from 'vitest';
import { findExpected, judge } from '../../../faults/verdict.ts';

const failed = (name: string, message: string) => ({
  file: 'src/suites/database/crud.test.ts',
  name,
  failureMessages: [`${message}\n    at /work/main/src/suites/database/redis-outage.test.ts:37:71`],
});

describe('judging a fault run', () => {
  const red = [
    failed(
      'crud > PUT writes the description',
      "AssertionError: PUT must write the description: expected 'a' to be 'b'",
    ),
  ];

  test('exit 1 with a failure naming `expect` is caught, and records the test and line', () => {
    expect(judge(1, red, 'must WRITE the description')).toEqual({
      verdict: 'caught',
      caught: true,
      matched: {
        test: 'database/crud.test.ts > crud > PUT writes the description',
        line: "AssertionError: PUT must write the description: expected 'a' to be 'b'",
      },
    });
  });

  test('the test name counts as well as the message', () => {
    expect(findExpected(red, 'writes the description')?.line).toBe('crud > PUT writes the description');
  });

  test('red for another reason is not caught', () => {
    expect(judge(1, red, 'anomaly_score')).toEqual({ verdict: 'wrong-reason', caught: false });
  });

  test('stack frames never match (their paths name files, not reasons)', () => {
    expect(judge(1, red, 'redis-outage')).toEqual({ verdict: 'wrong-reason', caught: false });
  });

  test('without `expect` a red run is caught but unverified', () => {
    expect(judge(1, red, undefined)).toEqual({ verdict: 'unverified', caught: true });
  });

  test.each([
    [0, red, 'missed'],
    [2, red, 'setup-error'],
    [null, red, 'setup-error'],
    [1, [], 'setup-error'],
  ] as const)('exit %s with %j failed tests is %s', (code, tests, verdict) => {
    expect(judge(code, tests, 'description')).toEqual({ verdict, caught: false });
  });
});
