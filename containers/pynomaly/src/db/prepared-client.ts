import { createHash } from 'node:crypto';
import pg from 'pg';

const names = new Map<string, string>();

/** A stable statement name for a query text: the same text always gets the same name. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `p_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A pg client that runs every parameterised query as a named prepared statement: PostgreSQL parses
 * and plans it once per connection instead of on every call (on the predict path that was most of
 * the database's CPU). Our query texts are a fixed set (filters only add known clauses), so the
 * statements per connection stay bounded. Queries without parameters (BEGIN, COMMIT, migrations,
 * multi-statement scripts) are sent as they are.
 */
export class PreparedStatementClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is a set of overloads we pass through.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values))
      return super.query({ name: statementName(config), text: config, values }, callback);
    return super.query(config, values, callback);
  }
}
