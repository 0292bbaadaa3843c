import { forbidden } from '../../domain/errors.js';
import { requireActor } from '../access.js';
import type { ActingUser, Actor, Caller } from '../context.js';

/** A person signed in: credentials (passkeys, password, TOTP) are people's, not an API key's. */
export function requireUser(caller: Caller): Actor & { user: ActingUser } {
  const actor = requireActor(caller);
  if (!actor.user) {
    throw forbidden(
      'user-required',
      "a person's credentials are the person's own: sign in to the console, not with an API key",
    );
  }
  return actor as Actor & { user: ActingUser };
}
