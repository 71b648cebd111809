import pino from 'pino';
import { describe, expect, test } from 'vitest';
import { formatDuration, renderTable } from '../../../src/orchestrator/progress/model.ts';
import { Progress } from '../../../src/orchestrator/progress/reporter.ts';

describe('progress', () => {
  test('suites move queued → starting stack → running N/M → passed, with elapsed time', () => {
    let now = 1000;
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
    const p = new Progress(['database', 'security'], logger, () => now);
    expect(renderTable([...p.views.values()], now)[0]).toMatch(/^database\s+queued/);
    p.status('database', 'starting');
    expect(renderTable([...p.views.values()], now)[0]).toContain('starting stack');
    p.status('database', 'running');
    p.test('database', { type: 'collected', file: 'a', tests: 3 });
    p.test('database', { type: 'test', file: 'a', name: 't1', state: 'passed' });
    p.test('database', { type: 'test', file: 'a', name: 't2', state: 'failed' });
    now = 66_000;
    const row = renderTable([...p.views.values()], now)[0];
    expect(row).toContain('running 2/3 tests, 1 failed');
    expect(row).toContain('1m05s');
    p.status('database', 'failed');
    expect(renderTable([...p.views.values()], now + 99_000)[0]).toMatch(/failed \(1\/2 passed\)\s+1m05s/);
    // CI mode: one JSON line per event, including the failed test.
    const events = lines.map((l) => JSON.parse(l));
    expect(events.map((e) => e.status ?? e.test)).toEqual(['starting', 'running', 't2', 'failed']);
  });

  test('durations', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59_400)).toBe('59s');
    expect(formatDuration(3_600_000)).toBe('60m00s');
  });
});
