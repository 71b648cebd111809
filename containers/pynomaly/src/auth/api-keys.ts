import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'pk_';

/** A new API key: shown to its owner once; only its SHA-256 is stored. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, 10), hash: hashApiKey(key) };
}

/** Keys are long random strings, so a fast hash is enough (no dictionary to guard against). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
