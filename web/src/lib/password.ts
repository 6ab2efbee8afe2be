// The server's password policy (server/src/kontor/identity/password.cpp, password_problem()),
// checked before sending: at least 12 and at most 256 bytes of UTF-8, not the e-mail address or
// its part before the '@' (ignoring ASCII case), not one of the well-known passwords the server
// refuses. The answer is a problem name; the page turns it into words.
//
// Registration and the password change both check with these; keep them in step with the server.
export const MIN_PASSWORD_BYTES = 12;
export const MAX_PASSWORD_BYTES = 256;

// The server's list (kCommon), compared lower-case.
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  'qwertyuiopas',
  'qwerty123456',
  'password1234',
  'password12345',
  'passwordpassword',
  'iloveyou1234',
  '111111111111',
  '000000000000',
  '123123123123',
  'abc123abc123',
  'qwertyqwerty',
  'letmein12345',
  'welcome12345',
  'administrator',
  'changeme1234',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'zaq12wsxcde3',
  'passw0rd1234',
  'trustno1trustno1',
  'football1234',
]);

export type PasswordProblem = 'required' | 'tooShort' | 'tooLong' | 'isEmail' | 'common';

const bytes = (s: string) => new TextEncoder().encode(s).length;
// The server lower-cases ASCII letters only.
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

export function passwordProblem(password: string, email = ''): PasswordProblem | undefined {
  if (password.length === 0) return 'required';
  if (bytes(password) < MIN_PASSWORD_BYTES) return 'tooShort';
  if (bytes(password) > MAX_PASSWORD_BYTES) return 'tooLong';
  const p = asciiLower(password);
  const e = asciiLower(email.trim());
  if (e && (p === e || p === e.split('@')[0])) return 'isEmail';
  if (COMMON.has(p)) return 'common';
  return undefined;
}

// The server's message for a refused password, as one of ours (it words them in English only).
export function passwordProblemOf(message: string): PasswordProblem | undefined {
  if (message.includes('at least')) return 'tooShort';
  if (message.includes('at most')) return 'tooLong';
  if (message.includes('e-mail')) return 'isEmail';
  if (message.includes('well-known')) return 'common';
  return undefined;
}
