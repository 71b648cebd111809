import bcrypt from 'bcryptjs';

/*
 * bcrypt costs tens of milliseconds of CPU a call (seconds on a loaded machine): the service runs
 * these in its compute pool (tasks `hashPassword`, `verifyPassword`), never on the event loop.
 */
export function hashPassword(password: string, rounds: number): string {
  return bcrypt.hashSync(password, rounds);
}

// One dummy hash per cost, made once per worker: a check against a user with no hash costs what a
// real check at the configured cost does.
const dummyHashes = new Map<number, string>();
function dummyHash(rounds: number): string {
  let hash = dummyHashes.get(rounds);
  if (!hash) {
    hash = bcrypt.hashSync('not a password of anyone', rounds);
    dummyHashes.set(rounds, hash);
  }
  return hash;
}

/** bcrypt reads only the first 72 bytes: longer passwords are refused, never silently truncated. */
export const MAX_PASSWORD_BYTES = 72;

export function passwordTooLong(password: string): boolean {
  return Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
}

/** The minimal rule for a new password, said in every refusal. */
export const MIN_PASSWORD_LENGTH = 8;
export const PASSWORD_RULE = `password must be at least ${MIN_PASSWORD_LENGTH} characters and mix at least two of: lowercase letters, uppercase letters, digits, other characters`;

const CLASSES = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u];

/** At least 8 characters (code points) from at least two classes: no "aaaaaaaa", no "12345678". */
export function passwordMeetsRule(password: string): boolean {
  if ([...password].length < MIN_PASSWORD_LENGTH) return false;
  return CLASSES.filter((pattern) => pattern.test(password)).length >= 2;
}

export function verifyPassword(password: string, hash: string | null, rounds: number): boolean {
  // No stored password is longer, and bcrypt would compare only its first 72 bytes.
  if (passwordTooLong(password)) return false;
  // Compare against a dummy hash when the user has none, so timing does not reveal which users exist.
  return bcrypt.compareSync(password, hash ?? dummyHash(rounds));
}
