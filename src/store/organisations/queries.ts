import type { Organisation } from '../../domain/org/organisation.js';
import type { Role } from '../../domain/org/roles.js';
import type { Db } from '../sql/db.js';
import { pageOf } from '../sql/page.js';
import type { QueriesOf } from '../sql/queries.js';
import type { OrganisationReader, OrganisationWriter } from './interface.js';

interface OrgRow {
  seq: number;
  id: string;
  kind: Organisation['kind'];
  name: string;
  jurisdiction: string;
  registration_number: string;
  enterprise_code: string | null;
  created_at: string;
  /** Comma-separated, in no particular order. */
  roles: string | null;
}

const toOrganisation = (row: OrgRow): Organisation => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  roles: (row.roles ? row.roles.split(',').sort() : []) as Role[],
  jurisdiction: row.jurisdiction,
  registrationNumber: row.registration_number,
  enterpriseCode: row.enterprise_code,
  createdAt: row.created_at,
});

const SELECT_ORG = `
  SELECT o.*, (SELECT string_agg(role, ',') FROM org_roles r WHERE r.org_id = o.id) AS roles
  FROM organisations o`;

async function one(db: Db, where: string, params: unknown[]): Promise<Organisation | null> {
  const row = await db.get<OrgRow>(`${SELECT_ORG} WHERE ${where}`, params);
  return row ? toOrganisation(row) : null;
}

export const reads: QueriesOf<OrganisationReader> = {
  getOrganisation: (db, id) => one(db, 'o.id = ?', [id]),

  findOrganisationByRegistration: (db, jurisdiction, registrationNumber) =>
    one(db, 'o.jurisdiction = ? AND o.registration_number = ?', [jurisdiction, registrationNumber]),

  findOrganisationByEnterpriseCode: (db, code) => one(db, 'o.enterprise_code = ?', [code]),

  async listOrganisations(db, filter, page) {
    // One fixed statement per combination of filters (four at most), each prepared once.
    const where = ['o.seq > ?'];
    const params: unknown[] = [page.after];
    if (filter.role) {
      where.push('EXISTS (SELECT 1 FROM org_roles r WHERE r.org_id = o.id AND r.role = ?)');
      params.push(filter.role);
    }
    if (filter.name !== undefined) {
      where.push(db.dialect.containsIgnoringCase('o.name'));
      params.push(filter.name);
    }
    const rows = await db.all<OrgRow>(`${SELECT_ORG} WHERE ${where.join(' AND ')} ORDER BY o.seq LIMIT ?`, [
      ...params,
      page.limit + 1,
    ]);
    return pageOf(rows, page.limit, toOrganisation);
  },
};

export const writes: QueriesOf<OrganisationWriter> = {
  // seq orders listings; the writers' lock makes max(seq) + 1 safe (PostgreSQL's table has no sequence).
  async insertOrganisation(db, org) {
    await db.run(
      `INSERT INTO organisations (seq, id, kind, name, jurisdiction, registration_number, enterprise_code, created_at)
       VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM organisations), ?, ?, ?, ?, ?, ?, ?)`,
      [
        org.id,
        org.kind,
        org.name,
        org.jurisdiction,
        org.registrationNumber,
        org.enterpriseCode,
        org.createdAt,
      ],
    );
    await db.run(`INSERT INTO org_roles (org_id, role) SELECT ?, a.value FROM ${db.dialect.rowsOfList}`, [
      org.id,
      db.dialect.listValue(org.roles),
    ]);
  },

  // `counters.value`: PostgreSQL finds a bare `value` ambiguous in DO UPDATE (the row, or `excluded`).
  async nextCounter(db, name) {
    const row = await db.get<{ value: number }>(
      `INSERT INTO counters (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`,
      [name],
    );
    return row!.value;
  },
};
