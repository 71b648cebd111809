import { describe, expect, test } from 'vitest';
import { isLoopback } from '../../../src/orchestrator/engine/loopback.ts';
import { reaperPlacement } from '../../../src/orchestrator/reaper/placement.ts';

const socket = '/var/run/docker.sock';

describe('where the reaper talks to its engine from', () => {
  test('a tcp:// engine on our loopback: host network, the same TCP address (a socket path there is a guess)', () => {
    expect(
      reaperPlacement({
        dockerHost: 'tcp://127.0.0.1:41234',
        runtimeHost: '127.0.0.1',
        remoteSocketPath: socket,
      }),
    ).toEqual({ kind: 'host-network', engine: 'tcp://127.0.0.1:41234' });
    expect(
      reaperPlacement({ dockerHost: 'tcp://localhost', runtimeHost: 'localhost', remoteSocketPath: socket }),
    ).toEqual({ kind: 'host-network', engine: 'tcp://localhost:2375' });
  });

  test('with TLS (DOCKER_TLS_VERIFY=1) the reaper gets the certificates folder, the default port 2376', () => {
    expect(
      reaperPlacement({
        dockerHost: 'tcp://127.0.0.1',
        runtimeHost: '127.0.0.1',
        remoteSocketPath: socket,
        tlsDir: '/root/.docker',
      }),
    ).toEqual({ kind: 'host-network', engine: 'tcp://127.0.0.1:2376', tlsDir: '/root/.docker' });
  });

  test('a socket the user named (TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE) is mounted, even for tcp://', () => {
    expect(
      reaperPlacement({
        dockerHost: 'tcp://127.0.0.1:41234',
        runtimeHost: '127.0.0.1',
        remoteSocketPath: '/tmp/e/docker.sock',
        socketOverride: '/tmp/e/docker.sock',
      }),
    ).toEqual({ kind: 'socket', socket: '/tmp/e/docker.sock', loopback: true });
  });

  test('a unix:// engine: its socket mounted, the port on loopback when ports are reached there', () => {
    expect(
      reaperPlacement({
        dockerHost: 'unix:///tmp/e/docker.sock',
        runtimeHost: 'localhost',
        remoteSocketPath: '/tmp/e/docker.sock',
      }),
    ).toEqual({ kind: 'socket', socket: '/tmp/e/docker.sock', loopback: true });
    // In a container, testcontainers reaches ports through the bridge gateway.
    expect(
      reaperPlacement({
        dockerHost: 'unix:///var/run/docker.sock',
        runtimeHost: '172.17.0.1',
        remoteSocketPath: socket,
      }),
    ).toEqual({ kind: 'socket', socket, loopback: false });
  });

  test('a remote tcp:// engine: the socket on its host, the port on every interface', () => {
    expect(
      reaperPlacement({
        dockerHost: 'tcp://10.1.2.3:2375',
        runtimeHost: '10.1.2.3',
        remoteSocketPath: socket,
      }),
    ).toEqual({ kind: 'socket', socket, loopback: false });
  });

  test.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['10.0.0.1', false],
    ['127.example.com', false],
    ['localhost.example.com', false],
  ])('isLoopback(%s) = %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
