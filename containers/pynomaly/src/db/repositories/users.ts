import { randomUUID } from 'node:crypto';
import type { Queryable } from '../pool.ts';

export type Role = 'admin' | 'analyst' | 'viewer';

export interface UserRow {
  id: string;
  username: string;
  email: string | null;
  password_hash: string | null;
  role: Role;
  is_active: boolean;
  created_at: Date;
}

/** The owner of everything when auth is off (created by the first migration). */
export const ANONYMOUS_USER_ID = '00000000-0000-4000-8000-000000000000';

const FIELDS = 'id::text, username, email, password_hash, role, is_active, created_at';

export async function findUserByName(db: Queryable, username: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(`SELECT ${FIELDS} FROM users WHERE username = $1`, [username]);
  return rows[0] ?? null;
}

export async function findUser(db: Queryable, id: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(`SELECT ${FIELDS} FROM users WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** Inserts the user unless the name is taken; null when it is. */
export async function insertUser(
  db: Queryable,
  input: { username: string; email: string | null; passwordHash: string; role: Role },
): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (id, username, email, password_hash, role) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (username) DO NOTHING RETURNING ${FIELDS}`,
    [randomUUID(), input.username, input.email, input.passwordHash, input.role],
  );
  return rows[0] ?? null;
}

export interface ApiKeyRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

export async function insertApiKey(
  db: Queryable,
  input: { userId: string; name: string; keyHash: string; prefix: string },
): Promise<ApiKeyRow> {
  const { rows } = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (id, user_id, name, key_hash, prefix) VALUES ($1, $2, $3, $4, $5)
     RETURNING id::text, user_id::text, name, prefix, created_at, revoked_at`,
    [randomUUID(), input.userId, input.name, input.keyHash, input.prefix],
  );
  return rows[0];
}

export async function userByApiKeyHash(db: Queryable, keyHash: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(
    `UPDATE api_keys k SET last_used_at = now() FROM users u
     WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.id = k.user_id AND u.is_active
     RETURNING u.id::text, u.username, u.email, u.password_hash, u.role, u.is_active, u.created_at`,
    [keyHash],
  );
  return rows[0] ?? null;
}

export async function revokeApiKey(db: Queryable, userId: string, id: string): Promise<boolean> {
  const result = await db.query(
    'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL',
    [id, userId],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Records the id as revoked; false when it already was (so a single-use token is used once). */
export async function revokeToken(db: Queryable, jti: string, expiresAt: Date): Promise<boolean> {
  const inserted = await db.query(
    'INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [jti, expiresAt],
  );
  await db.query('DELETE FROM revoked_tokens WHERE expires_at < now()');
  return (inserted.rowCount ?? 0) > 0;
}

/** True when the token's own id or its login session (sid, revoked by logout) is revoked. */
export async function isTokenRevoked(db: Queryable, jti: string, sid?: string): Promise<boolean> {
  const ids = typeof sid === 'string' ? [jti, sid] : [jti];
  const { rows } = await db.query('SELECT 1 FROM revoked_tokens WHERE jti = ANY($1::text[])', [ids]);
  return rows.length > 0;
}
