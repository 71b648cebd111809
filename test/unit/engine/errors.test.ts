import { describe, expect, test } from 'vitest';
import { dockerodeOptionsFor } from '../../../src/orchestrator/engine/client.ts';
import { EngineUnavailableError } from '../../../src/orchestrator/engine/errors.ts';

describe('engine errors and addresses', () => {
  test('EngineUnavailableError is one paragraph: where, why, and the fix; no stack frames', () => {
    const error = new EngineUnavailableError('unix:///x.sock', 'connection refused');
    expect(error.message).toContain('unix:///x.sock');
    expect(error.message).toContain('connection refused');
    expect(error.message).toContain('npm run setup');
    expect(error.message).toContain('DOCKER_HOST');
    expect(error.message).not.toContain('\n');
    expect(error.stack).not.toMatch(/\n\s+at /);
  });

  test('DOCKER_HOST values map to dockerode options', () => {
    expect(dockerodeOptionsFor('unix:///var/run/docker.sock')).toEqual({
      socketPath: '/var/run/docker.sock',
    });
    expect(dockerodeOptionsFor('tcp://10.0.0.5:2375')).toMatchObject({ host: '10.0.0.5', port: '2375' });
  });
});
