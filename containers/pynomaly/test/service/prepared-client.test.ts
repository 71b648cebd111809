import pg from 'pg';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { PreparedStatementClient, statementName } from '../../src/db/prepared-client.ts';

describe('prepared statements', () => {
  afterEach(() => vi.restoreAllMocks());

  test('a query text always gets the same name, and two texts two names', () => {
    const a = 'SELECT 1 FROM detectors WHERE id = $1';
    expect(statementName(a)).toBe(statementName(`${a}`));
    expect(statementName(a)).not.toBe(statementName(`${a} AND owner_id = $2`));
    expect(statementName(a)).toMatch(/^p_[0-9a-f]{20}$/);
  });

  test('a query with parameters goes as a named statement; one without them as it is', () => {
    const sent = vi.spyOn(pg.Client.prototype, 'query').mockImplementation((() => undefined) as never);
    const client = new PreparedStatementClient();
    const text = 'SELECT name FROM detectors WHERE id = $1';
    client.query(text, ['d1']);
    client.query('BEGIN');
    const config = { text: 'SELECT $1::int', values: [1] };
    client.query(config);
    expect(sent.mock.calls[0][0]).toEqual({ name: statementName(text), text, values: ['d1'] });
    expect(sent.mock.calls[1][0], 'no parameters: sent unnamed').toBe('BEGIN');
    expect(sent.mock.calls[2][0], 'a query config is passed through').toBe(config);
  });
});
