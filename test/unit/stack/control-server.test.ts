import { request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import { type StackControl, serveStackControl } from '../../../src/orchestrator/stack/control-server.ts';
import type { RunningStack } from '../../../src/orchestrator/stack/types.ts';
import type { StackEndpoints } from '../../../src/shared/stack-endpoints.ts';

/** A stack whose operations only record what was asked. */
function fakeStack() {
  const asked: string[] = [];
  let endpoints = { httpUrl: 'http://127.0.0.1:1', redisUrl: 'redis://127.0.0.1:2' } as StackEndpoints;
  const stack = {
    get endpoints() {
      return endpoints;
    },
    restartService: async () => {
      asked.push('restart');
      endpoints = { ...endpoints, httpUrl: 'http://127.0.0.1:3' };
      return endpoints;
    },
    stopRedis: async () => void asked.push('stop redis'),
    startRedis: async () => {
      asked.push('start redis');
      return endpoints;
    },
    serviceMemoryBytes: async () => 1234,
    trialStart: async (env: Record<string, string>, timeoutMs: number) => {
      asked.push(`trial ${JSON.stringify(env)} ${timeoutMs}`);
      return { exitCode: 1, log: 'bad PYNOMALY_API_PORT' };
    },
  } as unknown as RunningStack;
  return { stack, asked };
}

let control: StackControl | undefined;
afterEach(async () => control?.close());

async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await request(`${control!.url}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

describe('the stack control channel', () => {
  test('a restart acts on the stack and reports the moved endpoints, to the caller and to the file writer', async () => {
    const { stack, asked } = fakeStack();
    const moved: StackEndpoints[] = [];
    control = await serveStackControl(stack, async (e) => void moved.push(e));
    expect(control.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await call('POST', '/service/restart');
    expect(res).toEqual({ status: 200, body: expect.objectContaining({ httpUrl: 'http://127.0.0.1:3' }) });
    expect(moved.map((e) => e.httpUrl)).toEqual(['http://127.0.0.1:3']);
    expect((await call('GET', '/endpoints')).body.httpUrl).toBe('http://127.0.0.1:3');
    expect(asked).toEqual(['restart']);
  });

  test('Redis out and back, memory, and a trial start with its deadline capped at 60 s', async () => {
    const { stack, asked } = fakeStack();
    control = await serveStackControl(stack, async () => undefined);
    expect((await call('POST', '/redis/stop')).status).toBe(200);
    expect((await call('POST', '/redis/start')).status).toBe(200);
    expect((await call('GET', '/service/memory')).body).toEqual({ bytes: 1234 });
    const trial = await call('POST', '/service/trial-start', {
      env: { PYNOMALY_API_PORT: 'x' },
      timeoutMs: 10 ** 9,
    });
    expect(trial.body).toEqual({ exitCode: 1, log: 'bad PYNOMALY_API_PORT' });
    expect(asked).toEqual(['stop redis', 'start redis', 'trial {"PYNOMALY_API_PORT":"x"} 60000']);
  });

  test('an unknown route is 404 and a bad body is 500 with the reason; the stack is not touched', async () => {
    const { stack, asked } = fakeStack();
    control = await serveStackControl(stack, async () => undefined);
    expect(await call('POST', '/service/delete')).toEqual({
      status: 404,
      body: { error: 'no control route POST /service/delete' },
    });
    const bad = await call('POST', '/service/trial-start', { env: { A: 1 } });
    expect(bad).toEqual({ status: 500, body: { error: 'env values must be strings' } });
    expect(asked).toEqual([]);
  });
});
