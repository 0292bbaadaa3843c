import type { UserRole } from '../../domain/org/people.js';
import type { InvitationRecord, UserRecord } from '../../store/store.js';

/** A user as the API shows it: never the password hash or the TOTP secret. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  organisationId: string;
  createdAt: string;
}

export interface InvitationView {
  id: string;
  email: string;
  role: UserRole;
  expiresAt: string;
}

export const viewUser = (u: UserRecord): UserView => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role as UserRole,
  organisationId: u.orgId,
  createdAt: u.createdAt,
});

export const viewInvitation = (i: InvitationRecord): InvitationView => ({
  id: i.id,
  email: i.email,
  role: i.role as UserRole,
  expiresAt: i.expiresAt,
});
