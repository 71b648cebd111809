import bcrypt from 'bcryptjs';

const ROUNDS = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, ROUNDS);
}

export function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  // Compare against a dummy hash when the user has none, so timing does not reveal which users exist.
  return bcrypt.compare(password, hash ?? '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.2eWcD5Pp4sK6uNOMvMzpQi3F7ZKy');
}
