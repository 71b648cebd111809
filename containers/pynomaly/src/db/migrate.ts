import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { type Db, withClient } from './pool.ts';

// Any constant works; every replica must use the same one.
const MIGRATION_LOCK_KEY = 727_001_001;

/**
 * Applies pending migrations in version order, each in its own transaction, recorded in
 * schema_migrations. A session-level advisory lock serialises replicas that start together:
 * the second waits, then finds nothing left to do. Returns the versions it applied.
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return withClient(db, async (client) => {
    const applied: number[] = [];
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const doneVersions = new Set(done.rows.map((row) => row.version));
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (doneVersions.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw new Error(
            `migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
          );
        }
        applied.push(migration.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    }
    return applied;
  });
}
