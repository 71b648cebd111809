/**
 * security / the password rule: at least 8 characters mixing at least two of lowercase,
 * uppercase, digits and other characters. A weaker password at register is 422 WEAK_PASSWORD
 * whose message states the rule, and no user is stored (read back over SQL).
 *
 * Faults this file catches:
 * - weak passwords accepted at register (checked by faults/catalog/security.ts: sec-weak-password)
 * - a refusal that does not say the rule, or a user row left behind
 * - a password stored other than as a bcrypt hash at the configured cost (PYNOMALY_PASSWORD_HASH_ROUNDS)
 */
import { describe, expect } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { ApiClient, expectError, unwrap } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';

describe('password rule', { tags: ['security', 'api'] }, () => {
  const db = useServiceDatabase();

  test('weak passwords are 422 WEAK_PASSWORD naming the rule, and nothing is stored', async ({
    helper,
    client: admin,
    stack,
  }) => {
    for (const [what, password] of [
      ['7 characters', 'Abc-123'],
      ['only lowercase', 'abcdefghij'],
      ['only uppercase', 'ABCDEFGHIJ'],
      ['only digits', '1234567890'],
      ['only symbols', '!!!!!!!!!!'],
      ['8 identical characters', 'aaaaaaaa'],
    ]) {
      const username = helper.name('weak');
      const res = await admin.post('/api/auth/register', { username, password, role: 'viewer' });
      expectError(res, 422, 'WEAK_PASSWORD', `a password of ${what} must be refused`);
      expect(res.body.error.message, `the refusal of ${what} must state the rule`).toMatch(
        /at least 8 characters.*two of/,
      );
      expectCleanError(res, stack, `a password of ${what}`);
      expect(await db.userRow(username), `no user may be stored for a password of ${what}`).toBeNull();
    }
  });

  test('a password that meets the rule registers and logs in', async ({ helper, client: admin, stack }) => {
    for (const password of ['abcd1234', 'Abcdefgh', 'correct horse battery']) {
      const username = helper.name('ok');
      const user = unwrap<{ username: string; role: string }>(
        await admin.post('/api/auth/register', { username, password, role: 'viewer' }),
        201,
        `the password ${JSON.stringify(password)} meets the rule`,
      );
      expect({ username: user.username, role: user.role }, 'the registered user').toEqual({
        username,
        role: 'viewer',
      });
      unwrap(
        await new ApiClient(stack.httpUrl).post('/api/auth/login', { username, password }),
        200,
        `login with the accepted password ${JSON.stringify(password)}`,
      );
      // Stored as a bcrypt hash at the stack's cost (the contract's default when it sets none).
      const rounds = String(stack.serviceEnv.PYNOMALY_PASSWORD_HASH_ROUNDS ?? 10).padStart(2, '0');
      const row = await db.userRow(username);
      expect(row?.password_hash, 'the password is stored as a bcrypt hash at the configured cost').toMatch(
        new RegExp(`^\\$2[aby]\\$${rounds}\\$[./A-Za-z0-9]{53}$`),
      );
    }
  });
});
