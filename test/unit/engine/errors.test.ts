import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { dockerodeOptionsFor, parseDockerHost } from '../../../src/orchestrator/engine/client.ts';
import {
  EngineUnavailableError,
  engineFailure,
  engineUnavailableMessage,
} from '../../../src/orchestrator/engine/errors.ts';

const errno = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

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
    expect(dockerodeOptionsFor('tcp://10.0.0.5', {})).toMatchObject({ port: 2375, protocol: 'http' });
  });

  test('DOCKER_TLS_VERIFY=1 with DOCKER_CERT_PATH speaks https with those files; a missing file is named', () => {
    const certs = mkdtempSync(join(tmpdir(), 'pit-certs-'));
    try {
      for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, f), `${f} content`);
      const env = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs };
      const options = dockerodeOptionsFor('tcp://engine.example:2376', env);
      expect(options).toMatchObject({ host: 'engine.example', port: '2376', protocol: 'https' });
      expect(String(options.ca)).toBe('ca.pem content');
      expect(String(options.key)).toBe('key.pem content');
      expect(dockerodeOptionsFor('tcp://engine.example', env).port).toBe(2376);
      rmSync(join(certs, 'key.pem'));
      expect(() => dockerodeOptionsFor('tcp://engine.example', env)).toThrow(
        `cannot read ${join(certs, 'key.pem')}`,
      );
    } finally {
      rmSync(certs, { recursive: true, force: true });
    }
  });

  test.each([
    ['ssh://me@build-host', 'ssh:// is not supported'],
    ['/var/run/docker.sock', 'not a URL'],
    ['tcp://', 'not supported'],
  ])('an unusable DOCKER_HOST (%s) fails at once, saying which forms work', (value, cause) => {
    const error = (() => {
      try {
        parseDockerHost(value);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect(error?.message).toContain(cause);
    expect(error?.message).toContain('unix:///path/to/docker.sock or tcp://host:port');
  });

  test.each([
    [errno('ENOENT'), 'no-socket'],
    [errno('ECONNREFUSED'), 'refused'],
    [errno('EACCES'), 'denied'],
    [errno('ENOTFOUND'), 'unresolved'],
    [errno('EHOSTUNREACH'), 'unreachable'],
    [errno('EPROTO'), 'not-tls'],
    [new Error('(HTTP code 400) unexpected - Client sent an HTTP request to an HTTPS server.'), 'wants-tls'],
    [new Error('tcp://10.9.9.9:2375 did not answer within 5 s'), 'timeout'],
    [new Error('something else\nwith a second line'), 'other'],
  ])('classifies %s as %s', (error, kind) => {
    const failure = engineFailure(error);
    expect(failure.kind).toBe(kind);
    expect(failure.cause).not.toContain('\n');
  });

  test('an explicit DOCKER_HOST gets the fix for its own address, and the way back to the local engine', () => {
    const tcp = engineUnavailableMessage('tcp://127.0.0.1:2399', engineFailure(errno('ECONNREFUSED')), true);
    expect(tcp).toContain('DOCKER_HOST=tcp://127.0.0.1:2399 (connection refused)');
    expect(tcp).toContain('dockerd -H tcp://127.0.0.1:2399');
    expect(tcp).toContain('unset DOCKER_HOST');
    expect(tcp).toContain('npm run setup');
    const unix = engineUnavailableMessage('unix:///tmp/e/docker.sock', engineFailure(errno('ENOENT')), true);
    expect(unix).toContain('the socket does not exist');
    expect(unix).toContain('dockerd -H unix:///tmp/e/docker.sock');
    const tls = engineUnavailableMessage(
      'tcp://h:2376',
      engineFailure(new Error('Client sent an HTTP request to an HTTPS server.')),
      true,
    );
    expect(tls).toContain('DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH');
    for (const message of [tcp, unix, tls]) expect(message).not.toContain('\n');
  });

  test('without DOCKER_HOST the message points at npm run setup and at DOCKER_HOST', () => {
    const message = engineUnavailableMessage(
      'unix:///var/run/docker.sock',
      engineFailure(errno('ENOENT')),
      false,
    );
    expect(message).toContain('npm run setup');
    expect(message).toContain('tcp://127.0.0.1:2375');
    expect(message).not.toContain('dockerd -H');
  });
});
