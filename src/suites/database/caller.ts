import type { IntegrationHelper } from '../fixtures/integration-helper.ts';

/** The user the service created when auth is off; it owns everything then. */
const ANONYMOUS = { id: '00000000-0000-4000-8000-000000000000', username: 'anonymous' };

/** Who the suite's client is to the service: the owner_id and the *_by names rows must hold. */
export async function caller(helper: IntegrationHelper): Promise<{ id: string; username: string }> {
  if (!helper.stack.authEnabled) return ANONYMOUS;
  const me = await helper.client.data<{ id: string; username: string }>(
    'GET',
    '/api/auth/me',
    {},
    'GET /api/auth/me',
  );
  return { id: me.id, username: me.username };
}
