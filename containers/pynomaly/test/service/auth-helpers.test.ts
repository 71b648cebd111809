import { describe, expect, test } from 'vitest';
import { generateApiKey, hashApiKey } from '../../src/auth/api-keys.ts';
import { hashPassword, verifyPassword } from '../../src/auth/passwords.ts';
import { DEFAULT_PASSWORD_HASH_ROUNDS } from '../../src/config.ts';
import { safeFileName } from '../../src/services/upload.ts';

describe('passwords', () => {
  test('bcrypt hash verifies the password and nothing else', () => {
    const hash = hashPassword('correct horse', DEFAULT_PASSWORD_HASH_ROUNDS);
    expect(hash).toMatch(/^\$2[aby]\$10\$/);
    expect(verifyPassword('correct horse', hash, 10)).toBe(true);
    expect(verifyPassword('wrong horse', hash, 10)).toBe(false);
    expect(verifyPassword('anything', null, 10)).toBe(false);
  });

  test('the cost is the configured one; a stored hash is checked at its own cost', () => {
    const cheap = hashPassword('correct horse', 4);
    expect(cheap).toMatch(/^\$2[aby]\$04\$/);
    // Verified whatever the configured cost is now: hashes made before a change keep working.
    expect(verifyPassword('correct horse', cheap, 10)).toBe(true);
    expect(verifyPassword('anything', null, 4)).toBe(false);
  });
});

describe('api keys', () => {
  test('keys are random, prefixed, and stored only as their SHA-256', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.key);
    expect(a.key.startsWith(a.prefix)).toBe(true);
  });
});

describe('safeFileName', () => {
  test('keeps only a plain base name', () => {
    expect(safeFileName('../../../../tmp/evil.csv')).toBe('evil.csv');
    expect(safeFileName('..\\..\\win\\data.csv')).toBe('data.csv');
    expect(safeFileName('my data (1).csv')).toBe('my data _1_.csv');
    expect(safeFileName('..')).toBe('upload.csv');
  });
});
