/**
 * The organisation an event hands the robot to (`toOrgId`), beyond the transition table, which checks only the
 * reporter: the registry looks the organisation up, these rules decide on what it found.
 */
import { DomainError } from '../errors.js';
import type { ReportedEvent } from './events.js';

/** An event that names another organisation as the robot's next holder or operator. */
export type EventWithCounterparty = Extract<
  ReportedEvent,
  { type: 'shipped' | 'sold' | 'ownership_transferred' }
>;

export const hasCounterparty = (event: ReportedEvent): event is EventWithCounterparty =>
  event.type === 'shipped' || event.type === 'sold' || event.type === 'ownership_transferred';

/**
 * A shipment goes to a registered organisation; a sale or a transfer of ownership, to one with the operator role
 * (it will operate the robot). `roles`: the named organisation's, null when none is registered; `at`: the event's
 * place in the request (e.g. `/events/3`), for the field at fault.
 */
export function assertCounterparty(
  event: EventWithCounterparty,
  roles: ReadonlySet<string> | null,
  at: string,
): void {
  const field = `${at}/payload/toOrgId`;
  if (!roles)
    throw new DomainError('invalid', 'unknown-organisation', `no organisation ${event.payload.toOrgId}`, [
      { field, message: 'not a registered organisation' },
    ]);
  if (event.type !== 'shipped' && !roles.has('operator')) {
    throw new DomainError(
      'invalid',
      'not-an-operator',
      `${event.payload.toOrgId} is not registered as an operator`,
      [{ field, message: 'must have the operator role' }],
    );
  }
}
