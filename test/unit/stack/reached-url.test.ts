import { describe, expect, test } from 'vitest';
import { reachedUrl } from '../../../src/orchestrator/stack/reached-url.ts';

describe('a module URL as the runner reaches it', () => {
  test.each([
    ['http://localhost:32768/', 'http://127.0.0.1:32768'],
    ['ws://localhost:32768', 'ws://127.0.0.1:32768'],
    ['postgres://user:pass@localhost:32769/db', 'postgres://user:pass@127.0.0.1:32769/db'],
    ['redis://localhost:32770', 'redis://127.0.0.1:32770'],
    ['http://10.0.0.5:32768', 'http://10.0.0.5:32768'],
  ])('on the engine host: %s is %s', (moduleUrl, expected) => {
    expect(reachedUrl(moduleUrl)).toBe(expected);
  });

  test('on a joined network: the container address and its own port, credentials and path kept', () => {
    const onNetwork = { address: '172.18.0.3', port: 5432 };
    expect(reachedUrl('postgres://user:pass@127.0.0.1:32769/db', onNetwork)).toBe(
      'postgres://user:pass@172.18.0.3:5432/db',
    );
    expect(reachedUrl('http://127.0.0.1:32768', { address: '172.18.0.4', port: 8000 })).toBe(
      'http://172.18.0.4:8000',
    );
  });
});
