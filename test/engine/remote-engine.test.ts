/**
 * The runner against an engine that is not /var/run/docker.sock: a second dockerd started here,
 * reached by tcp://127.0.0.1:<port> and by a unix socket under a temp dir. The main engine is
 * only read from (images are copied out of it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { resolveNamed } from '../../src/orchestrator/images/index.ts';
import { RUN_LABEL, runCli, until } from './cli-helpers.ts';
import { type SecondEngine, startSecondEngine } from './fixtures/second-engine.ts';

/** Containers, networks and volumes of a run on the engine at `host`. */
function resourcesOn(host: string, runId: string): string[] {
  const filter = `label=${RUN_LABEL}=${runId}`;
  const list = (kind: string[]) =>
    execFileSync('docker', ['-H', host, ...kind, '-q', '--filter', filter], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  return [...list(['ps', '-a']), ...list(['network', 'ls']), ...list(['volume', 'ls'])];
}

function inspect(host: string, what: string[]): string[] {
  return execFileSync('docker', ['-H', host, 'inspect', ...what], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
}

describe('a remote engine (a second dockerd on tcp:// and a non-default unix:// socket)', () => {
  let engine: SecondEngine;

  beforeAll(async () => {
    engine = await startSecondEngine();
    const started = Date.now();
    const { requested } = await resolveNamed(['pynomaly', 'postgres', 'redis', 'reaper']);
    await engine.load(requested.map((image) => image.ref));
    console.log(`second engine up in ${engine.startMs} ms, images loaded in ${Date.now() - started} ms`);
  }, 420_000);

  afterAll(async () => {
    if (!engine) return;
    await engine.stop();
    expect(existsSync(engine.dir)).toBe(false);
    expect(() => process.kill(engine.pid, 0)).toThrow();
  }, 120_000);

  test.each(['tcp', 'unix'] as const)(
    'health through %s://: every check passes, nothing of the run left',
    async (kind) => {
      const host = engine[kind];
      const run = runCli(['health'], { DOCKER_HOST: host });
      expect(await run.done, run.output()).toBe(0);
      expect(run.output()).toContain('every check passed');
      // health logs no runId line; its table names the run.
      const runId = /Health of pynomaly-it \(run ([^)]+)\)/.exec(run.output())?.[1];
      expect(runId, run.output()).toBeDefined();
      expect(resourcesOn(host, runId as string)).toEqual([]);
    },
    180_000,
  );

  test('a reaper given a socket of another engine refuses (no sweep there), and the run says which variable to set', async () => {
    // "Another engine": an API on a unix socket that knows no container (it answers 404 to all).
    const dir = mkdtempSync(join(tmpdir(), 'pit-other-engine-'));
    const other = createServer((_, res) => res.writeHead(404).end('{"message":"No such container"}'));
    await new Promise<void>((resolve) => other.listen(join(dir, 'other.sock'), resolve));
    const requests: string[] = [];
    other.on('request', (req) => requests.push(`${req.method} ${req.url}`));
    onTestFinished(() => {
      other.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const run = runCli(['health'], {
      DOCKER_HOST: engine.tcp,
      TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE: join(dir, 'other.sock'),
    });
    expect(await run.done, run.output()).toBe(2);
    expect(run.output()).toContain('is not the one this reaper runs on');
    expect(run.output()).toContain('set TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE');
    // It only looked itself up there: no list, no delete.
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.startsWith('GET /containers/pit-'))).toBe(true);
    const runId = /Health of pynomaly-it \(run ([^)]+)\)/.exec(run.output())?.[1];
    expect(resourcesOn(engine.tcp, runId as string)).toEqual([]);
  }, 180_000);

  test('a suite through tcp://: published ports on 127.0.0.1 only, passed, nothing left', async () => {
    const run = runCli(['run', '--suite', 'end-to-end', '--seed', '5'], { DOCKER_HOST: engine.tcp });
    const runId = await run.runId;
    // While its stack runs: every published port of the run on loopback, the reaper on the host's network.
    await until(
      () => run.output().includes('"status":"running"') || run.child.exitCode !== null,
      180_000,
      'the suite to start',
    );
    const ids = execFileSync(
      'docker',
      ['-H', engine.tcp, 'ps', '-q', '--filter', `label=${RUN_LABEL}=${runId}`],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean);
    const bindings = inspect(engine.tcp, [
      '-f',
      '{{.Name}} {{.HostConfig.NetworkMode}} {{json .HostConfig.PortBindings}}',
      ...ids,
    ]);
    expect(bindings.some((b) => b.includes('-reaper host'))).toBe(true);
    const hostIps = bindings.flatMap((b) => [...b.matchAll(/"HostIp":"([^"]*)"/g)].map((m) => m[1]));
    expect(hostIps.length).toBeGreaterThanOrEqual(3);
    expect(new Set(hostIps)).toEqual(new Set(['127.0.0.1']));

    expect(await run.done, run.output()).toBe(0);
    const record = JSON.parse(readFileSync(join(run.reports, 'run.json'), 'utf8'));
    expect(record.results.map((r: { status: string }) => r.status)).toEqual(['passed']);
    expect(resourcesOn(engine.tcp, runId)).toEqual([]);
  }, 300_000);

  test('kill -9 of a runner on the tcp:// engine: its reaper removes the run from that engine', async () => {
    const run = runCli(['run', '--suite', 'end-to-end'], { DOCKER_HOST: engine.tcp });
    const runId = await run.runId;
    // The reaper, the network and the stack's three containers exist: the run is in full swing.
    await until(
      () => resourcesOn(engine.tcp, runId).length >= 5 || run.child.exitCode !== null,
      180_000,
      'the stack',
    );
    expect(run.child.exitCode, run.output()).toBeNull();
    run.child.kill('SIGKILL');
    const killed = Date.now();
    await until(() => resourcesOn(engine.tcp, runId).length === 0, 30_000, 'the run removed');
    console.log(`remote engine: run ${runId} gone ${Date.now() - killed} ms after kill -9`);
  }, 300_000);
});
