import type { QueriesOf } from '../sql/queries.js';
import type { ApiKeyWriter } from '../api-keys/interface.js';
import { type KeyRow, toKey } from '../api-keys/queries.js';
import type { Connection } from './connection.js';

export const writes: Partial<QueriesOf<ApiKeyWriter, Connection>> = {
  /**
   * Differs: FOR SHARE holds the key's row, so a concurrent revocation's UPDATE waits until this unit of work ends
   * (and one committed before it is seen). SQLite has no row locks and needs none (one writer at a time); here a
   * writer outside the registry's writers' lock (an operator's own UPDATE) is held off too.
   */
  async holdApiKey(c, id) {
    const row = await c.get<KeyRow>('SELECT * FROM api_keys WHERE id = ? FOR SHARE', [id]);
    return row ? toKey(row) : null;
  },
};
