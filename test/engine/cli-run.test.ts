import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resourcesOf, runCli } from './cli-helpers.ts';

describe('CLI against the real engine', () => {
  test('a run of a small suite passes (exit 0) and leaves nothing of itself', async () => {
    const run = runCli(['run', '--suite', 'database', '--seed', '3']);
    const code = await run.done;
    expect(code, run.output()).toBe(0);
    const runId = await run.runId;
    expect(resourcesOf(runId)).toEqual([]);
    const record = JSON.parse(readFileSync(join(run.reports, 'run.json'), 'utf8'));
    expect(record.results[0].status).toBe('passed');
    expect(record.imageIds.pynomaly).toMatch(/^sha256:[0-9a-f]{64}$/);
    const endpoints = JSON.parse(readFileSync(join(run.reports, 'database/stack.json'), 'utf8'));
    expect(endpoints.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(endpoints.postgresUrl).toMatch(/^postgres(ql)?:\/\//);
    expect(readFileSync(join(run.reports, 'repro.sh'), 'utf8')).toContain(
      `--image ${record.imageIds.pynomaly}`,
    );
  });

  test('a failing suite: exit 1, its container logs saved, the service log tail printed', async () => {
    const run = runCli(['run', '--suite', 'security']);
    expect(await run.done, run.output()).toBe(1);
    expect(run.output()).toContain('lines of the service log');
    const record = JSON.parse(readFileSync(join(run.reports, 'run.json'), 'utf8'));
    expect(record.results[0].logFiles.length).toBeGreaterThanOrEqual(3);
    expect(resourcesOf(await run.runId)).toEqual([]);
  });

  test('unknown suite: exit 2 and the valid choices', async () => {
    const run = runCli(['run', '--suite', 'nope']);
    expect(await run.done).toBe(2);
    expect(run.output()).toContain('valid suites: api-workflows, test_api_workflows.py');
  });

  test('engine down: exit 2 with one paragraph, no stack trace', async () => {
    const run = runCli(['run', '--suite', 'database'], { DOCKER_HOST: 'unix:///tmp/none.sock' });
    expect(await run.done).toBe(2);
    expect(run.output()).toMatch(/engine|docker/i);
    expect(run.output()).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
