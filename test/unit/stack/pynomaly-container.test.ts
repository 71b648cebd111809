import type { StartedTestContainer } from 'testcontainers';
import { describe, expect, test } from 'vitest';
import {
  PynomalyContainer,
  StartedPynomalyContainer,
} from '../../../src/orchestrator/stack/pynomaly-container.ts';
import { SERVICE_PORT } from '../../../src/orchestrator/stack/service-env.ts';

/** What the module sets before start (GenericContainer keeps it in protected fields). */
const settingsOf = (container: PynomalyContainer) =>
  container as unknown as { environment: Record<string, string>; exposedPorts: number[] };

describe('PynomalyContainer', () => {
  test('exposes the service port and tells the service to listen on it', () => {
    const container = settingsOf(new PynomalyContainer('pynomaly-it/pynomaly:test'));
    expect(container.exposedPorts).toEqual([SERVICE_PORT]);
    expect(container.environment.PYNOMALY_API_PORT).toBe(String(SERVICE_PORT));
  });

  test('its builders set the service settings; the last call wins', () => {
    const container = new PynomalyContainer('pynomaly-it/pynomaly:test')
      .withEnvironment({
        PYNOMALY_DATABASE_URL: 'postgres://u:p@postgres:5432/db',
        PYNOMALY_LOG_LEVEL: 'warn',
      })
      .withDatabaseUrl('postgres://u:p@postgres:5432/replicas')
      .withCoverageDir('/tmp/coverage');
    expect(settingsOf(container).environment).toMatchObject({
      PYNOMALY_DATABASE_URL: 'postgres://u:p@postgres:5432/replicas',
      PYNOMALY_LOG_LEVEL: 'warn',
      NODE_V8_COVERAGE: '/tmp/coverage',
    });
  });

  test('started, it names its API on the engine host and mapped port', () => {
    const started = new StartedPynomalyContainer({
      getHost: () => '127.0.0.1',
      getMappedPort: (port: number) => (port === SERVICE_PORT ? 32768 : 0),
    } as unknown as StartedTestContainer);
    expect(started.getHttpUrl()).toBe('http://127.0.0.1:32768');
    expect(started.getWsUrl()).toBe('ws://127.0.0.1:32768');
  });
});
