import { describe, expect, test } from 'vitest';
import { type LabelledResource, runVerdict } from '../../../src/orchestrator/cleanup/liveness.ts';

const ctx = (alivePids: number[]) => ({
  hostname: 'here',
  isProcessAlive: (pid: number) => alivePids.includes(pid),
});

function resource(labels: Record<string, string>, extra: Partial<LabelledResource> = {}): LabelledResource {
  return { kind: 'network', id: 'id', name: 'n', labels: { 'pynomaly-it.run': 'r1', ...labels }, ...extra };
}

describe('is a run over?', () => {
  const mine = { 'pynomaly-it.owner': 'root@here', 'pynomaly-it.pid': '100' };

  test('alive while its runner pid lives on this host', () => {
    expect(runVerdict([resource(mine)], ctx([100]))).toBe('alive');
  });

  test('gone when the runner pid is dead and no reaper runs', () => {
    expect(runVerdict([resource(mine)], ctx([]))).toBe('gone');
  });

  test('alive while its reaper container runs, whatever the pid', () => {
    const reaper = resource({ ...mine, 'pynomaly-it.role': 'reaper' }, { kind: 'container', running: true });
    expect(runVerdict([resource(mine), reaper], ctx([]))).toBe('alive');
    expect(runVerdict([resource(mine), { ...reaper, running: false }], ctx([]))).toBe('gone');
  });

  test('a pid on another host cannot be checked: without a running reaper the run is gone', () => {
    expect(
      runVerdict([resource({ 'pynomaly-it.owner': 'root@elsewhere', 'pynomaly-it.pid': '100' })], ctx([100])),
    ).toBe('gone');
  });

  test('resources without a pid label (made by hand) are foreign: never touched', () => {
    expect(runVerdict([resource({})], ctx([]))).toBe('foreign');
  });
});
