import { describe, expect, test } from 'vitest';
import { egressRules, parseEnv } from '../../../bench/cold-run.ts';
import { suitePhases } from '../../../bench/full-run.ts';
import { combine, parseResult } from '../../../bench/lib/autocannon.ts';
import { type DayResults, mergeResults, PARTS, selectParts } from '../../../bench/lib/results.ts';

const record = (seconds: number) => ({
  measuredAt: '2026-12-02T07:00:00.000Z',
  seconds,
  loadAverage: { start: [1, 1, 1], end: [2, 2, 2] },
  git: { head: 'abc', dirtyFiles: 0 },
});

describe('bench parts and results', () => {
  test('parts from --part (repeatable, comma lists) in the canonical order; all when none', () => {
    expect(selectParts([])).toEqual([...PARTS]);
    expect(selectParts(['load,stack-start', 'npm-test'])).toEqual(['stack-start', 'npm-test', 'load']);
    expect(() => selectParts(['stack-start,warp'])).toThrow(/unknown part warp/);
  });

  test("a run's parts replace the day's earlier ones and keep the others", () => {
    const earlier: DayResults = {
      updatedAt: 'a',
      cores: 2,
      parts: { 'npm-test': record(1), load: record(2) },
    };
    const now: DayResults = { updatedAt: 'b', cores: 2, parts: { load: record(3) } };
    const merged = mergeResults(earlier, now);
    expect(merged.updatedAt).toBe('b');
    expect(merged.parts['npm-test']?.seconds).toBe(1);
    expect(merged.parts.load?.seconds).toBe(3);
  });

  test('an earlier file of another shape is dropped, not merged', () => {
    const merged = mergeResults({ date: 'x', stackStart: {} }, { updatedAt: 'b', cores: 2, parts: {} });
    expect(merged.parts).toEqual({});
  });

  test("a suite's phases: other is what stack, tests and teardown leave; shares of the suite's time", () => {
    const p = suitePhases({
      job: { id: 'database' },
      status: 'passed',
      durationMs: 20_000,
      phases: { stackMs: 4_000, testsMs: 12_000, teardownMs: 1_000, stackWarm: true },
    });
    expect(p).toMatchObject({
      seconds: 20,
      stackSeconds: 4,
      testsSeconds: 12,
      teardownSeconds: 1,
      otherSeconds: 3,
      stackShare: 0.25,
      testsShare: 0.6,
      stackWarm: true,
    });
    // A teardown in the background came after durationMs: it joins the whole, not "other".
    expect(
      suitePhases({
        job: { id: 'database' },
        status: 'passed',
        durationMs: 19_000,
        phases: { stackMs: 4_000, testsMs: 12_000, teardownMs: 1_000, teardownInBackground: true },
      }),
    ).toMatchObject({ seconds: 19, teardownSeconds: 1, otherSeconds: 3, stackShare: 0.25, testsShare: 0.6 });
    // A suite whose stack never started has only stackMs.
    expect(
      suitePhases({ job: { id: 'x' }, status: 'error', durationMs: 0, phases: { stackMs: 0 } }),
    ).toMatchObject({
      otherSeconds: 0,
      stackShare: 0,
    });
  });

  test("autocannon's result: the last JSON line; runs combined as successes per second and mean latency", () => {
    const line = (ok: number, p50: number) =>
      JSON.stringify({
        '2xx': ok,
        non2xx: 1,
        errors: 0,
        timeouts: 0,
        duration: 8,
        latency: { p50, p99: p50 * 3 },
      });
    const parsed = parseResult(`warning: something\n${line(800, 4)}\n`);
    expect(parsed['2xx']).toBe(800);
    expect(() => parseResult('no json here')).toThrow(/no result/);
    const side = combine([parsed, parseResult(line(1600, 6))]);
    expect(side).toEqual({
      requestsPerSecond: 150,
      requests: 2402,
      non2xx: 2,
      errors: 0,
      latencyMs: { p50: 5, p99: 15 },
    });
  });

  test("the second engine's KEY=VALUE lines, and the egress rules of its pool only", () => {
    const env = parseEnv('DIR=/tmp/pit2-a\nPID=12\nnoise\nUNIX=unix:///tmp/pit2-a/docker.sock\n');
    expect(env).toEqual({ DIR: '/tmp/pit2-a', PID: '12', UNIX: 'unix:///tmp/pit2-a/docker.sock' });
    const rules = egressRules('10.213.20.0/24', 'pit2br20');
    expect(rules).toHaveLength(3);
    for (const rule of rules) expect(rule).toContain('10.213.20.0/24');
    expect(rules[2]).toEqual([
      '-t',
      'nat',
      'POSTROUTING',
      '-s',
      '10.213.20.0/24',
      '!',
      '-o',
      'pit2br20',
      '-j',
      'MASQUERADE',
    ]);
  });
});
