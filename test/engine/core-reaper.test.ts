import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cleanOrphans, removeRun } from '../../src/orchestrator/cleanup/index.ts';
import { docker } from '../../src/orchestrator/engine/index.ts';
import { resolveNamed } from '../../src/orchestrator/images/index.ts';
import { startReaper } from '../../src/orchestrator/reaper/index.ts';
import { containerName, runLabels } from '../../src/orchestrator/stack/index.ts';
import { resourcesOf, testRunId, waitUntilGone } from './core-helpers.ts';

const repoRoot = join(import.meta.dirname, '../..');

describe('the reaper', () => {
  test('removes a run within 30 s after its runner is killed with -9', async () => {
    const { requested } = await resolveNamed(['node-runtime']);
    const runId = testRunId('rpk');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/engine/fixtures/reaper-child.ts', runId, requested[0].ref],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d;
        if (output.includes('READY')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', (code) => reject(new Error(`child exited ${code}: ${output}`)));
    });
    const before = await resourcesOf(runId);
    // reaper + sleeper containers, the network, the volume.
    expect(before).toHaveLength(4);

    child.kill('SIGKILL');
    const { ms, left } = await waitUntilGone(runId, 30_000);
    console.log(`reaper: run ${runId} gone ${ms} ms after kill -9`);
    expect(left).toEqual([]);
  });

  test('close() at a normal end: the reaper sweeps what is left and removes itself', async () => {
    const runId = testRunId('rpc');
    const reaper = await startReaper(runId);
    const engine = await docker();
    await engine.createNetwork({
      Name: containerName(runId, 'close', 'net'),
      Labels: runLabels(runId, 'close', 'network'),
    });
    expect(await resourcesOf(runId)).toHaveLength(2);
    await reaper.close();
    const { left } = await waitUntilGone(runId, 15_000);
    expect(left).toEqual([]);
  });
});

describe('cleanup', () => {
  /** A pid that surely names no process: one that has just exited. */
  function deadPid(): number {
    const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    return Number(result.stdout);
  }

  test('cleanOrphans removes runs whose runner is dead, never a live run nor hand-made resources', async () => {
    const engine = await docker();
    const dead = testRunId('cod');
    const live = testRunId('col');
    const foreign = testRunId('cof');
    const deadLabels = { ...runLabels(dead, 'clean', 'network'), 'pynomaly-it.pid': String(deadPid()) };
    await engine.createNetwork({ Name: containerName(dead, 'clean', 'net'), Labels: deadLabels });
    await engine.createVolume({ Name: containerName(dead, 'clean', 'vol'), Labels: deadLabels });
    await engine.createNetwork({
      Name: containerName(live, 'clean', 'net'),
      Labels: runLabels(live, 'clean', 'network'),
    });
    await engine.createNetwork({
      Name: containerName(foreign, 'clean', 'net'),
      Labels: { 'pynomaly-it.run': foreign },
    });
    try {
      const removed = await cleanOrphans();
      expect(removed.runs).toContain(dead);
      expect(removed.runs).not.toContain(live);
      expect(removed.runs).not.toContain(foreign);
      expect(await resourcesOf(dead)).toEqual([]);
      expect(await resourcesOf(live)).toHaveLength(1);
      expect(await resourcesOf(foreign)).toHaveLength(1);
    } finally {
      await removeRun(live);
      await removeRun(foreign);
    }
    expect(await resourcesOf(live)).toEqual([]);
    expect(await resourcesOf(foreign)).toEqual([]);
  });

  test('removeRun removes a run with its reaper (a live one too)', async () => {
    const runId = testRunId('rmr');
    const reaper = await startReaper(runId);
    const removed = await removeRun(runId);
    expect(removed.containers).toEqual([reaper.container]);
    expect(await resourcesOf(runId)).toEqual([]);
    await reaper.close();
  });
});
