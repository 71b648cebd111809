import { describe, expect, test } from 'vitest';
import { resourcesOf, runCli } from './cli-helpers.ts';

describe('two runs at once on one engine', () => {
  test('both pass and neither touches the other', async () => {
    const a = runCli(['run', '--suite', 'database', '--suite', 'end-to-end']);
    const b = runCli(['run', '--suite', 'database', '--suite', 'end-to-end']);
    const [codeA, codeB] = await Promise.all([a.done, b.done]);
    expect(codeA, a.output()).toBe(0);
    expect(codeB, b.output()).toBe(0);
    const [idA, idB] = await Promise.all([a.runId, b.runId]);
    expect(idA).not.toBe(idB);
    expect(resourcesOf(idA)).toEqual([]);
    expect(resourcesOf(idB)).toEqual([]);
  });
});
