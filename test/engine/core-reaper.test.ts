import { spawn, spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
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

  test('a dropped connection is made again before the grace ends: the live run is not swept', async () => {
    const runId = testRunId('rdc');
    const messages: string[] = [];
    // A pino logger whose lines land here: the handle says when it lost and regained the connection.
    const logger = pino(
      { level: 'debug' },
      { write: (line: string) => void messages.push(JSON.parse(line).msg) },
    );
    const reaper = await startReaper(runId, { logger, graceMs: 10_000 });
    const engine = await docker();
    const info = await engine.getContainer(reaper.container).inspect();
    const port = Number(info.NetworkSettings.Ports['8080/tcp']?.[0]?.HostPort);
    await engine.createNetwork({
      Name: containerName(runId, 'drop', 'net'),
      Labels: runLabels(runId, 'drop', 'network'),
    });
    // What an engine's port proxy letting go looks like to the runner: the next packet (a
    // keepalive probe, one second idle) to the reaper's port on loopback is answered with a reset.
    const rule = [
      'INPUT',
      '-i',
      'lo',
      '-p',
      'tcp',
      '--dport',
      String(port),
      '-j',
      'REJECT',
      '--reject-with',
      'tcp-reset',
    ];
    const iptables = (op: string) => spawnSync('iptables', [op, ...rule], { encoding: 'utf8' });
    expect(iptables('-I').status, 'iptables (root) is needed for this test').toBe(0);
    try {
      await expect
        .poll(() => messages, { timeout: 20_000, interval: 50 })
        .toContain('the connection to the reaper dropped: reconnecting');
    } finally {
      iptables('-D');
    }
    try {
      await expect
        .poll(() => messages, { timeout: 20_000, interval: 100 })
        .toContain('reconnected to the reaper');
      expect(await resourcesOf(runId), 'reconnected within the grace: nothing swept').toHaveLength(2);
    } finally {
      await reaper.close();
    }
    expect((await waitUntilGone(runId, 30_000)).left, 'after close() the reaper sweeps as always').toEqual(
      [],
    );
  });

  test("speaks Ryuk's protocol: filter lines over TCP, each ACKed; at the end it removes what any filter matches", async () => {
    const runId = testRunId('rpp');
    const other = testRunId('rpo');
    const untouched = testRunId('rpu');
    const reaper = await startReaper(runId);
    const engine = await docker();
    const info = await engine.getContainer(reaper.container).inspect();
    const port = Number(info.NetworkSettings.Ports['8080/tcp']?.[0]?.HostPort);
    /** One client: sends `line`, resolves with what came back before `ACK` or the close. */
    const client = (line: string) =>
      new Promise<{ answer: string; socket: Socket }>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port }, () => socket.write(`${line}\n`));
        let answer = '';
        socket.on('data', (d) => {
          answer += d;
          if (answer.includes('ACK')) resolve({ answer, socket });
        });
        socket.on('close', () => resolve({ answer, socket }));
        socket.on('error', () => undefined);
      });
    const second = await client(`label=pynomaly-it.run=${other}&label=pynomaly-it.role=network`);
    expect(second.answer).toBe('ACK\n');
    const refused = await client('hello');
    expect(refused.answer, 'a line that is no filter gets no ACK, and the connection is closed').toBe('');
    await engine.createNetwork({
      Name: containerName(other, 'proto', 'net'),
      Labels: runLabels(other, 'proto', 'network'),
    });
    await engine.createNetwork({
      Name: containerName(untouched, 'proto', 'net'),
      Labels: runLabels(untouched, 'proto', 'volume'),
    });
    try {
      second.socket.destroy();
      await reaper.close();
      expect((await waitUntilGone(other, 20_000)).left, 'both labels of the filter matched: removed').toEqual(
        [],
      );
      expect((await waitUntilGone(runId, 20_000)).left).toEqual([]);
      expect(await resourcesOf(untouched), 'no filter matches it (another role): left alone').toHaveLength(1);
    } finally {
      await removeRun(other);
      await removeRun(untouched);
    }
  });

  test("testcontainers' Ryuk is ours by default: what it started is removed after it exits, then the Ryuk itself", async () => {
    const { requested } = await resolveNamed(['reaper', 'node-runtime']);
    const [reaperImage, nodeImage] = requested.map((r) => r.ref);
    const runId = testRunId('rtc');
    // No Ryuk setting at all: what a user's shell has.
    const env = { ...process.env };
    for (const key of [
      'RYUK_CONTAINER_IMAGE',
      'TESTCONTAINERS_RYUK_DISABLED',
      'TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT',
    ])
      delete env[key];
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'test/engine/fixtures/testcontainers-child.ts', nodeImage, runId],
      { cwd: repoRoot, encoding: 'utf8', timeout: 120_000, env },
    );
    const ids = /STARTED (\w+) RYUK (\w+)/.exec(child.stdout);
    expect(ids, child.stderr).not.toBeNull();
    const engine = await docker();
    const ryuk = await engine.getContainer(ids?.[2] ?? '').inspect();
    expect(ryuk.Config.Image, "testcontainers' Ryuk runs our reaper image").toBe(reaperImage);
    const { ms, left } = await waitUntilGone(runId, 30_000);
    console.log(`testcontainers' reaper (ours): child's container gone ${ms} ms after it exited`);
    expect(left).toEqual([]);
    await expect
      .poll(
        () =>
          engine
            .getContainer(ryuk.Id)
            .inspect()
            .then(
              () => 'running',
              () => 'gone',
            ),
        { timeout: 15_000, interval: 250, message: 'the Ryuk removes itself once it has swept' },
      )
      .toBe('gone');
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
