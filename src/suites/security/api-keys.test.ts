/**
 * security / API keys: a key acts as the user who created it, only that user can revoke it, and a
 * revoked key stops working.
 *
 * Faults this file catches:
 * - a key authenticating as another user (the lookup not joined on the key's user)
 *   (checked by faults/catalog.ts: sec-api-key-any-user)
 * - objects created with a key owned by someone else than the key's user
 * - a revoked key that keeps working (checked by faults/catalog.ts: sec-revoked-key-works)
 * - another user's key revocable (checked by faults/catalog.ts: sec-api-key-revoke-any-user)
 */
import { describe, expect } from 'vitest';
import { ApiClient, expectStatus, unwrap } from '../fixtures/http-client.ts';
import { useStack } from '../fixtures/stack.ts';
import { test } from '../fixtures/test.ts';
import { createUser, type TestUser } from './users.ts';

async function keyOf(user: TestUser): Promise<{ id: string; client: ApiClient }> {
  const created = await user.client.data<{ id: string; api_key: string; name: string }>(
    'POST',
    '/api/auth/api-keys',
    { json: { name: user.helper.name('key') }, expected: 201 },
    'creating an API key',
  );
  expect(created.api_key, 'the API key is shown once at creation').toMatch(/\S{20,}/);
  user.helper.track('api-key', created.id);
  return { id: created.id, client: new ApiClient(useStack().httpUrl, { apiKey: created.api_key }) };
}

describe('API keys', { tags: ['security', 'api'] }, () => {
  test("a key acts as its creator: /me, and what it creates is the creator's", async ({ client }) => {
    const [alice, bob] = [await createUser(client), await createUser(client)];
    const key = await keyOf(alice);
    const me = await key.client.data('GET', '/api/auth/me', {}, '/api/auth/me with an API key');
    expect({ id: me.id, username: me.username }, 'an API key must authenticate as its creator').toEqual({
      id: alice.id,
      username: alice.username,
    });
    const upload = await key.client.upload(
      '/api/datasets/upload',
      { filename: 'k.csv', content: 'a,b\n1,2\n3,4\n' },
      { name: alice.helper.name('by-key') },
    );
    const dataset = unwrap<{ id: string; name: string }>(upload, 201, 'an upload with an API key');
    alice.helper.track('dataset', dataset.id);
    const asAlice = await alice.client.data('GET', `/api/datasets/${dataset.id}`, {}, 'the creator reads it');
    expect(asAlice.name, "a key's upload must belong to the key's user").toBe(dataset.name);
    expectStatus(
      await bob.client.get(`/api/datasets/${dataset.id}`),
      404,
      "a key's upload must not belong to another user",
    );
  });

  test('a revoked key stops working; an unknown key never worked', async ({ client, stack }) => {
    const user = await createUser(client);
    const key = await keyOf(user);
    expectStatus(await key.client.get('/api/datasets'), 200, 'a fresh API key must work');
    unwrap(await user.client.delete(`/api/auth/api-keys/${key.id}`), 200, 'revoking the API key');
    user.helper.forget('api-key', key.id);
    expectStatus(await key.client.get('/api/auth/me'), 401, 'a revoked API key must stop working');
    expectStatus(
      await new ApiClient(stack.httpUrl, { apiKey: 'pk_forged_0000000000' }).get('/api/datasets'),
      401,
      'an unknown API key',
    );
  });

  test("another user's key cannot be revoked (404) and keeps working", async ({ client }) => {
    const [alice, bob] = [await createUser(client), await createUser(client)];
    const key = await keyOf(alice);
    expectStatus(
      await bob.client.delete(`/api/auth/api-keys/${key.id}`),
      404,
      "DELETE of another user's API key must be 404",
    );
    const me = await key.client.data('GET', '/api/auth/me', {}, "the owner's key after bob's attempt");
    expect(me.username, "another user's DELETE must not revoke the key").toBe(alice.username);
  });
});
