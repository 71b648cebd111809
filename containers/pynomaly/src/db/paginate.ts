import type { QueryResultRow } from 'pg';
import type { Queryable } from './pool.ts';

export interface PageQuery {
  /** FROM: a table (or view) name of ours, never user input. */
  from: string;
  /** The selected columns of one item. */
  fields: string;
  /** One WHERE clause for the count and the page, with `$1..$n` placeholders for `params`. */
  where: string;
  params: readonly unknown[];
  /** ORDER BY of the page, with a unique tie-breaker last so pages never overlap. */
  orderBy: string;
  limit: number;
  offset: number;
}

/**
 * One page of a list and the count of everything the list holds: both from the same WHERE
 * clause and parameters, so `total` always counts what the pages show. LIMIT and OFFSET are the
 * last two parameters.
 */
export async function paginate<Row extends QueryResultRow>(
  db: Queryable,
  query: PageQuery,
): Promise<{ items: Row[]; total: number }> {
  const total = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${query.from} WHERE ${query.where}`,
    [...query.params],
  );
  const params = [...query.params, query.limit, query.offset];
  const { rows } = await db.query<Row>(
    `SELECT ${query.fields} FROM ${query.from} WHERE ${query.where} ORDER BY ${query.orderBy}
     LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { items: rows, total: total.rows[0].n };
}
