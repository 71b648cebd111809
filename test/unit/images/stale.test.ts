import { describe, expect, test } from 'vitest';
import { staleTags } from '../../../src/orchestrator/images/stale.ts';

const current = new Map([
  ['pynomaly', 'pynomaly-it/pynomaly:aaaaaaaaaaaa'],
  ['postgres', 'pynomaly-it/postgres:bbbbbbbbbbbb'],
]);

describe('stale image tags', () => {
  test('old content tags of a project image are stale, the current one is kept', () => {
    expect(
      staleTags(
        [
          { name: 'pynomaly', tags: ['pynomaly-it/pynomaly:aaaaaaaaaaaa'] },
          {
            name: 'pynomaly',
            tags: ['pynomaly-it/pynomaly:111111111111', 'pynomaly-it/pynomaly:222222222222'],
          },
          { name: 'postgres', tags: ['pynomaly-it/postgres:bbbbbbbbbbbb'] },
        ],
        current,
      ),
    ).toEqual(['pynomaly-it/pynomaly:111111111111', 'pynomaly-it/pynomaly:222222222222']);
  });

  test('images this checkout does not define, and tags a user added elsewhere, are left alone', () => {
    expect(
      staleTags(
        [
          { name: 'ci', tags: ['pynomaly-it/ci:1700000000-42'] },
          { name: 'stub-service', tags: ['pynomaly-it/stub-service:333333333333'] },
          { name: 'pynomaly', tags: ['my-registry/pynomaly:candidate'] },
        ],
        current,
      ),
    ).toEqual([]);
  });
});
