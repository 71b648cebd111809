/** Fresh users for the security suite: each test registers its own, so nothing is shared. */
import { randomUUID } from 'node:crypto';
import { expect, onTestFinished } from 'vitest';
import { ApiClient, type LoginResult, login, unwrap } from '../fixtures/http-client.ts';
import { IntegrationHelper } from '../fixtures/integration-helper.ts';
import { useStack } from '../fixtures/stack.ts';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  /** Logged in with a Bearer token. */
  client: ApiClient;
  session: LoginResult;
  /** Creates and tracks this user's objects; they are deleted as this user when the test ends. */
  helper: IntegrationHelper;
}

/** Registers a user through the admin and logs them in. */
export async function createUser(
  admin: ApiClient,
  role: 'analyst' | 'viewer' = 'analyst',
): Promise<TestUser> {
  const stack = useStack();
  const username = `it-${role}-${randomUUID().slice(0, 8)}`;
  const password = `Pw-${randomUUID()}`;
  const registered = unwrap<{ id: string; username: string }>(
    await admin.post('/api/auth/register', {
      username,
      password,
      role,
      email: `${username}@example.test`,
    }),
    201,
    `the admin must be able to register a ${role}`,
  );
  const session = await login(stack.httpUrl, username, password);
  const client = new ApiClient(stack.httpUrl, { token: session.access_token });
  const helper = new IntegrationHelper(stack, client);
  onTestFinished(async () => {
    expect(await helper.cleanup(), `every object ${username} created must be deletable`).toEqual([]);
  });
  return { id: registered.id, username, password, client, session, helper };
}

/** The owner and the intruder of an authorisation test: two fresh analysts. */
export async function ownerAndIntruder(admin: ApiClient): Promise<[TestUser, TestUser]> {
  return [await createUser(admin), await createUser(admin)];
}
