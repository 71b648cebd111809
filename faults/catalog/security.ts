import type { Fault } from '../fault.ts';

/** Faults the security suite must catch. */
export const FAULTS: readonly Fault[] = [
  {
    name: 'sec-viewer-can-write',
    suite: 'security',
    file: 'auth/authenticate.ts',
    find: "if (request.caller.role === 'viewer' && ",
    replace: "if (request.caller.role === ('nobody' as string) && ",
    why: 'the read-only check of the viewer role is skipped: viewers may write',
    auth: true,
  },
  {
    name: 'sec-logout-not-revoking',
    suite: 'security',
    file: 'auth/authenticate.ts',
    find: "if (await isTokenRevoked(ctx.db, claims.jti)) throw unauthorized('The token was revoked (logged out)');",
    replace: 'void isTokenRevoked;',
    why: 'the revoked-token check is skipped: a token keeps working after logout',
    auth: true,
  },
  {
    name: 'sec-no-frame-options',
    suite: 'security',
    file: 'app.ts',
    find: "frameguard: { action: 'deny' },",
    replace: 'frameguard: false,',
    why: 'responses lose the X-Frame-Options: DENY header',
  },
];
