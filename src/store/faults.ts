import { DomainError } from '../domain/errors.js';

/**
 * A write refused because the database's storage is full, on either store: nothing of it was stored, and the same
 * write may succeed once room is made, so a 503 the client retries rather than a fault of its request.
 */
export const storageFull = () =>
  new DomainError(
    'unavailable',
    'storage-full',
    'the registry’s storage is full; nothing was stored; retry later',
  );
