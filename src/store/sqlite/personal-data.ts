import type { QueriesOf } from '../sql/queries.js';
import type { PersonalDataWriter } from '../personal-data/interface.js';
import { writes as shared } from '../personal-data/queries.js';
import type { Connection } from './connection.js';

export const writes: Partial<QueriesOf<PersonalDataWriter, Connection>> = {
  /**
   * Differs: secure_delete overwrites the deleted row's bytes in the page rather than leaving them in free space
   * (FAST: only on pages written anyway). It is a setting of this connection, the one writer that erases;
   * PostgreSQL has no such setting.
   */
  deletePersonalData(c, partyId) {
    c.db.pragma('secure_delete = FAST');
    return shared.deletePersonalData(c, partyId);
  },
};
