import { describe, expect, test } from 'vitest';
import { demuxLogs } from '../../../src/orchestrator/stack/container-logs.ts';
import { containerName, runLabels } from '../../../src/orchestrator/stack/labels.ts';
import { serviceEnvironment } from '../../../src/orchestrator/stack/service-env.ts';
import type { StackOptions } from '../../../src/orchestrator/stack/types.ts';

const options: StackOptions = {
  runId: 'run1',
  suite: 'api',
  images: { pynomaly: 'p', postgres: 'pg', redis: 'r' },
  authEnabled: false,
  logLevel: 'warn',
  seed: 7,
  coverage: false,
  reportsDir: '/tmp/x',
};

describe('stack naming, labels and environment', () => {
  test('names are pit-<run>-<suite>-<role>, with characters the engine refuses replaced', () => {
    expect(containerName('run1', 'api', 'postgres')).toBe('pit-run1-api-postgres');
    expect(containerName('run1', 'api#2', 'redis')).toBe('pit-run1-api-2-redis');
  });

  test('labels carry run, owner, suite, pid and role', () => {
    expect(runLabels('run1', 'api', 'redis')).toMatchObject({
      'pynomaly-it.run': 'run1',
      'pynomaly-it.suite': 'api',
      'pynomaly-it.pid': String(process.pid),
      'pynomaly-it.role': 'redis',
    });
    expect(runLabels('run1', 'api')['pynomaly-it.owner']).toMatch(/^.+@.+$/);
  });

  test('the service environment has fresh secrets per stack and lets extras override', () => {
    const a = serviceEnvironment(options);
    const b = serviceEnvironment({ ...options, extraEnv: { PYNOMALY_LOG_LEVEL: 'error', PYNOMALY_X: '1' } });
    expect(a).toMatchObject({
      PYNOMALY_AUTH_ENABLED: 'false',
      PYNOMALY_LOG_LEVEL: 'warn',
      PYNOMALY_RANDOM_SEED: '7',
      PYNOMALY_DATABASE_URL: 'postgres://user:pass@postgres:5432/db',
      PYNOMALY_REDIS_URL: 'redis://redis:6379',
    });
    expect(Buffer.from(a.PYNOMALY_SECRET_KEY, 'base64url')).toHaveLength(48);
    expect(a.PYNOMALY_SECRET_KEY).not.toBe(b.PYNOMALY_SECRET_KEY);
    expect(a.PYNOMALY_ADMIN_PASSWORD).not.toBe(b.PYNOMALY_ADMIN_PASSWORD);
    expect(b).toMatchObject({ PYNOMALY_LOG_LEVEL: 'error', PYNOMALY_X: '1' });
  });

  test('multiplexed engine logs are split into text; plain text passes through', () => {
    const frame = (stream: number, text: string) => {
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([header, Buffer.from(text)]);
    };
    expect(demuxLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toBe('out\nerr\n');
    expect(demuxLogs(Buffer.from('plain log line\n'))).toBe('plain log line\n');
  });
});
