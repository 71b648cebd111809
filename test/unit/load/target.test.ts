import { describe, expect, test } from 'vitest';
import { assertLoopback } from '../../../src/suites/fixtures/load.ts';

describe('where the load fixture sends traffic', () => {
  test.each(['http://127.0.0.1:8000', 'http://localhost:1', 'ws://[::1]:80'])('loopback: %s', (url) => {
    expect(() => assertLoopback(url)).not.toThrow();
  });

  test("the stack's own containers, as the orchestrator declares them", () => {
    expect(() =>
      assertLoopback('http://192.168.144.5:8000', ['192.168.144.4', '192.168.144.5']),
    ).not.toThrow();
  });

  test('anything else is refused', () => {
    expect(() => assertLoopback('http://192.168.144.5:8000')).toThrow(/refusing/);
    expect(() => assertLoopback('http://192.168.144.9:8000', ['192.168.144.5'])).toThrow(/refusing/);
    expect(() => assertLoopback('http://example.com', ['192.168.144.5'])).toThrow(/refusing/);
  });
});
