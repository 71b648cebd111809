import { describe, expect, test } from 'vitest';
import {
  type Candidate,
  candidatesOf,
  OPERATORS,
  sampleCandidates,
  uniqueFind,
} from '../../../faults/candidates.ts';
import { plant } from '../../../faults/plant.ts';

/** What one operator makes of `source`: [find, replace] pairs. */
function mutants(operator: string, source: string): [string, string][] {
  const op = OPERATORS.filter((o) => o.name === operator);
  expect(op, `operator ${operator} exists`).toHaveLength(1);
  return candidatesOf('routes/x.ts', source, op).map((c) => [c.find, c.replace]);
}

describe('mutation operators', () => {
  test('created-status: 201 -> 200', () => {
    expect(mutants('created-status', 'return reply.status(201).send(x);')).toEqual([
      ['reply.status(201)', 'reply.status(200)'],
    ]);
  });

  test('order-direction flips DESC and ASC, and gives a bare ORDER BY a DESC', () => {
    expect(mutants('order-direction', "q('ORDER BY created_at DESC, id'); q('ORDER BY position');")).toEqual([
      ['ORDER BY created_at DESC', 'ORDER BY created_at ASC'],
      ['ORDER BY position', 'ORDER BY position DESC'],
    ]);
  });

  test('drop-offset and drop-limit keep the parameter bound', () => {
    const sql = '`... LIMIT $2 OFFSET $3` ... `LIMIT $${params.length - 1} OFFSET $${params.length}`';
    expect(mutants('drop-offset', sql)).toEqual([
      ['OFFSET $3', 'OFFSET 0 * $3::bigint'],
      ['OFFSET $${params.length}', 'OFFSET 0 * $${params.length}::bigint'],
    ]);
    expect(mutants('drop-limit', sql)[0]).toEqual(['LIMIT $2', 'LIMIT NULLIF($2::bigint, $2::bigint)']);
  });

  test('drop-where-condition makes one condition always true, never a SET', () => {
    expect(
      mutants('drop-where-condition', "q('UPDATE t SET a = $3 WHERE id = $1 AND owner_id = $2')"),
    ).toEqual([
      ['id = $1', '($1::text IS NOT NULL OR TRUE)'],
      ['owner_id = $2', '($2::text IS NOT NULL OR TRUE)'],
    ]);
    expect(mutants('drop-where-condition', "let where = 'owner_id = $1';")).toEqual([
      ['owner_id = $1', '($1::text IS NOT NULL OR TRUE)'],
    ]);
  });

  test('comparison-boundary moves > >= < <= but not =>', () => {
    expect(mutants('comparison-boundary', 'const f = (a) => a > 0 && b <= 3;')).toEqual([
      [' > ', ' >= '],
      [' <= ', ' < '],
    ]);
  });

  test('drop-plus-one removes `+ 1` but not `+ 10` (the find grows to the line: ` + 1` is in ` + 10`)', () => {
    expect(mutants('drop-plus-one', 'rank: i + 1, n: j + 10')).toEqual([
      ['rank: i + 1, n: j + 10', 'rank: i, n: j + 10'],
    ]);
  });

  test('no-transaction replaces the call, not the import', () => {
    const found = mutants(
      'no-transaction',
      "import { inTransaction } from 'p';\nconst r = await inTransaction(ctx.db, f);",
    );
    expect(found).toHaveLength(1);
    expect(found[0][0]).toBe('inTransaction(');
    expect(found[0][1]).toMatch(/^\(async <T>\(db: .*c\.release\(\); \} \}\)\($/);
  });

  test('not-found-500 turns the 404 guard into a plain Error', () => {
    expect(mutants('not-found-500', "if (!row) throw notFound('Dataset');")).toEqual([
      ['throw notFound(', 'throw new Error('],
    ]);
  });

  test('comment lines make no candidate', () => {
    expect(mutants('comparison-boundary', '// a > b\n * c < d')).toEqual([]);
  });
});

describe('candidate faults', () => {
  test('a repeated text grows to whole lines until it is unique', () => {
    const source = 'a\nif (!x) throw notFound(1);\nb\nif (!x) throw notFound(1);\n';
    const second = source.lastIndexOf('throw notFound(');
    const found = uniqueFind(source, {
      index: second,
      length: 'throw notFound('.length,
      replacement: 'throw new Error(',
    });
    expect(found).toEqual({
      find: 'b\nif (!x) throw notFound(1);',
      replace: 'b\nif (!x) throw new Error(1);',
    });
  });

  test('every candidate plants exactly where it says, with a unique name', () => {
    const source = "q('ORDER BY a DESC');\nq('ORDER BY a DESC');\nif (n > 1) throw notFound('x');\n";
    const all = candidatesOf('db/repositories/x.ts', source);
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    for (const c of all) expect(plant(source, c)).not.toBe(source);
    expect(all.every((c) => c.suite === 'database')).toBe(true);
  });

  test('a sample takes operators round-robin, then the limit', () => {
    const c = (operator: string, n: number) => ({ name: `${operator}${n}`, operator }) as Candidate;
    const all = [c('a', 1), c('a', 2), c('a', 3), c('b', 1), c('c', 1)];
    expect(sampleCandidates(all, { limit: 4 }).map((x) => x.name)).toEqual(['a1', 'b1', 'c1', 'a2']);
    expect(sampleCandidates(all, { operators: ['a'], limit: 2 }).map((x) => x.name)).toEqual(['a1', 'a2']);
  });
});
