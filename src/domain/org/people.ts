/**
 * People of an organisation and what each may do there. An organisation's roles (roles.ts) say what the
 * organisation plays in a robot's life; a user's role says how much of that the person may do for it.
 */
import { invalid } from '../errors.js';

/** viewer: reads only; reporter: also reports (events, incidents, service …); administrator: also manages people,
 * invitations, API keys and webhooks. */
export const USER_ROLES = ['viewer', 'reporter', 'administrator'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const isUserRole = (value: string): value is UserRole =>
  (USER_ROLES as readonly string[]).includes(value);

/** A password this short is refused; longer is better (NIST SP 800-63B: length, not composition rules). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Emails compare lower-cased and trimmed: one person, one account. */
export function normaliseEmail(email: string, field = 'email'): string {
  const normal = email.trim().toLowerCase();
  if (normal.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normal)) {
    throw invalid('invalid-email', `${field}: is not an email address`, [
      { field, message: 'is not an email address' },
    ]);
  }
  return normal;
}

export function checkPassword(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    const message = `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`;
    throw invalid('weak-password', `${field}: ${message}`, [{ field, message }]);
  }
}

/** The audit's and the events' name for a person acting, where an API key's id is recorded for a machine. */
export const userCredential = (userId: string) => `user:${userId}`;
