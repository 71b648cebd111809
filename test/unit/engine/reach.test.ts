import { describe, expect, test } from 'vitest';
import { ownContainerCandidates } from '../../../src/orchestrator/engine/own-container.ts';
import { decideReach } from '../../../src/orchestrator/engine/reach.ts';

const ID = `4df4732614c7${'b'.repeat(52)}`;
const mountinfo = [
  '430 415 0:95 / / rw,relatime master:1 - overlay overlay rw',
  `432 415 254:0 /var/lib/docker/containers/${ID}/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw`,
  `433 415 254:0 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw`,
  `434 415 254:0 /var/lib/docker/containers/${ID}/hosts /etc/hosts rw,relatime - ext4 /dev/vda rw`,
].join('\n');

describe('the container this process runs in', () => {
  test('is named by the engine-side files bind-mounted into it', () => {
    expect(ownContainerCandidates(`${mountinfo}\n`, 'ci-job')).toEqual([ID]);
  });

  test('a hostname shaped like a short ID is a further candidate, unless it is the same container', () => {
    expect(ownContainerCandidates(`${mountinfo}\n`, 'aaaaaaaaaaaa')).toEqual([ID, 'aaaaaaaaaaaa']);
    expect(ownContainerCandidates(`${mountinfo}\n`, ID.slice(0, 12))).toEqual([ID]);
  });

  test('outside a container there is none', () => {
    expect(ownContainerCandidates('22 1 0:21 / /proc rw - proc proc rw\n', 'build-host')).toEqual([]);
  });
});

describe('how the runner reaches its containers', () => {
  const own = { id: ID, networkMode: 'default', networks: ['bridge'] };

  test('a container of the engine joins the stacks networks', () => {
    expect(decideReach({ runtimeHost: 'localhost', own })).toEqual({
      mode: 'network',
      self: ID,
      network: 'bridge',
    });
  });

  test('TESTCONTAINERS_HOST_OVERRIDE wins: published ports at that host', () => {
    expect(decideReach({ hostOverride: '10.0.0.5', runtimeHost: 'localhost', own })).toEqual({
      mode: 'published',
      host: '10.0.0.5',
    });
  });

  test('an engine that does not know us (remote, or our own nested one) keeps testcontainers host', () => {
    expect(decideReach({ runtimeHost: '192.168.1.20' })).toEqual({ mode: 'published', host: '192.168.1.20' });
  });

  test.each([
    ['host', ['host']],
    ['none', ['none']],
    ['container:0123abcd', []],
  ])('a container that cannot join networks (%s) keeps published ports', (networkMode, networks) => {
    expect(decideReach({ runtimeHost: '172.17.0.1', own: { id: ID, networkMode, networks } })).toEqual({
      mode: 'published',
      host: '172.17.0.1',
    });
  });
});
