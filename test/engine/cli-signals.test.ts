import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resourcesOf, runCli, until } from './cli-helpers.ts';

/** Start a long suite, wait until its tests run against a real stack, then signal the CLI. */
async function midSuite() {
  const run = runCli(['run', '--suite', 'streaming'], { PYNOMALY_IT_FIXTURE_SLOW_SECONDS: '240' });
  const runId = await run.runId;
  await until(run.testStarted, 300_000, 'the suite mid-test');
  expect(resourcesOf(runId).filter((r) => r.startsWith('container')).length).toBeGreaterThanOrEqual(3);
  return { run, runId };
}

describe('signals mid-suite leave nothing of the run', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s: exit 130, partial reports, nothing left', async (signal) => {
    const { run, runId } = await midSuite();
    const sent = Date.now();
    run.child.kill(signal);
    expect(await run.done).toBe(130);
    expect(Date.now() - sent).toBeLessThan(20_000);
    expect(resourcesOf(runId)).toEqual([]);
    const record = JSON.parse(readFileSync(join(run.reports, 'run.json'), 'utf8'));
    expect(record.interrupted).toBe(true);
  });

  test('SIGKILL: nothing of the run remains within 30 s (the reaper)', async () => {
    const { run, runId } = await midSuite();
    run.child.kill('SIGKILL');
    await run.done;
    const killed = Date.now();
    await until(() => resourcesOf(runId).length === 0, 30_000, `resources of ${runId} removed`);
    expect(Date.now() - killed).toBeLessThanOrEqual(30_000);
  });
});
