import type { IncidentWriter } from '../incidents/interface.js';
import { NEW_INCIDENT_TABLES, newIncidentRows, type NewIncidentTable } from '../incidents/rows.js';
import type { QueriesOf } from '../sql/queries.js';
import type { Connection } from './connection.js';

/**
 * Incidents are written in each capture's unit of work, on the capture's hot path. SQLite runs a prepared statement
 * per row at once, with no JSON to build and take apart (the written-once version sends each table's rows as one
 * JSON parameter, which spares PostgreSQL a round trip per row).
 */
export const writes: Partial<QueriesOf<IncidentWriter, Connection>> = {
  insertIncidents(c, incidents) {
    const rows = newIncidentRows(incidents);
    for (const table of Object.keys(NEW_INCIDENT_TABLES) as NewIncidentTable[]) {
      if (rows[table].length === 0) continue;
      const names = Object.keys(NEW_INCIDENT_TABLES[table]);
      const insert = c.stmt(
        `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
      );
      for (const row of rows[table]) insert.run(...names.map((name) => row[name]));
    }
  },
};
