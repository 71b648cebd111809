import { describe, expect, test } from 'vitest';
import { bindToLoopback, portsReachedOnLoopback } from '../../../src/orchestrator/stack/containers.ts';

describe('published ports of a stack', () => {
  test('are bound to 127.0.0.1', () => {
    const hostConfig = { PortBindings: { '5432/tcp': [{ HostPort: '0' }], '8000/tcp': [{ HostPort: '0' }] } };
    bindToLoopback(hostConfig);
    expect(hostConfig.PortBindings).toEqual({
      '5432/tcp': [{ HostPort: '0', HostIp: '127.0.0.1' }],
      '8000/tcp': [{ HostPort: '0', HostIp: '127.0.0.1' }],
    });
  });

  test.each([
    ['127.0.0.1', true],
    ['localhost', true],
    ['172.17.0.1', false],
    [undefined, false],
  ])('only when the engine is reached on loopback (%s)', (host, expected) => {
    expect(portsReachedOnLoopback(host === undefined ? {} : { TESTCONTAINERS_HOST_OVERRIDE: host })).toBe(
      expected,
    );
  });
});
