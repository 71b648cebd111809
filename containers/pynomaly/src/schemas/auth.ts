import { Type } from 'typebox';
import { DateTime, Nullable } from './common.ts';

export const LoginRequest = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: 500 }),
});

export const TokenPair = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer(),
  refresh_token: Type.String(),
});

export const RefreshRequest = Type.Object({ refresh_token: Type.String({ minLength: 1, maxLength: 4000 }) });

export const RegisterRequest = Type.Object({
  username: Type.String({ minLength: 3, maxLength: 100, pattern: '^[A-Za-z0-9_.@-]+$' }),
  // The length and character-class rule is checked by the route (422 WEAK_PASSWORD naming it).
  password: Type.String({ minLength: 1, maxLength: 500 }),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
  role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('analyst'), Type.Literal('viewer')])),
});

export const User = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  email: Nullable(Type.String()),
  role: Type.String(),
  is_active: Type.Boolean(),
  created_at: DateTime,
});

export const ApiKeyCreate = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });

export const ApiKeyCreated = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  api_key: Type.String({ description: 'Shown once; only its hash is stored' }),
  prefix: Type.String(),
  created_at: DateTime,
});

export const Revoked = Type.Object({ id: Type.String(), revoked: Type.Boolean() });
export const LoggedOut = Type.Object({ logged_out: Type.Boolean() });
