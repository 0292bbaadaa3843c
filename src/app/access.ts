import { forbidden, unauthenticated } from '../domain/errors.js';
import type { Role } from '../domain/org/roles.js';
import type { Actor, Caller } from './context.js';

export function requireActor(caller: Caller): Actor {
  if (!caller) throw unauthenticated('this needs an API key: send it as "Authorization: Bearer <key>"');
  return caller;
}

export const hasRole = (caller: Caller, ...roles: Role[]) =>
  !!caller && roles.some((r) => caller.roles.has(r));

export function requireRole(caller: Caller, ...roles: Role[]): Actor {
  const actor = requireActor(caller);
  if (!hasRole(actor, ...roles)) {
    throw forbidden('role-required', `this needs one of the roles: ${roles.join(', ')}`);
  }
  return actor;
}

/** May the caller act for (or read the private side of) this organisation? */
export const actsFor = (caller: Caller, orgId: string) =>
  !!caller && (caller.orgId === orgId || caller.roles.has('admin'));
