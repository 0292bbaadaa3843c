import type { Organisation } from '../../domain/org/organisation.js';
import type { OrganisationFilter, Page, PageRequest } from '../store.js';
import { Connection } from './connection.js';
import { type OrgRow, toOrganisation } from '../rows.js';

const SELECT_ORG = `
  SELECT o.*, (SELECT group_concat(role) FROM org_roles r WHERE r.org_id = o.id) AS roles
  FROM organisations o`;

const one = (row: unknown) => (row ? toOrganisation(row as OrgRow) : null);

export const getOrganisation = (c: Connection, id: string) =>
  one(c.stmt(`${SELECT_ORG} WHERE o.id = ?`).get(id));

export const findOrganisationByRegistration = (
  c: Connection,
  jurisdiction: string,
  registrationNumber: string,
) =>
  one(
    c
      .stmt(`${SELECT_ORG} WHERE o.jurisdiction = ? AND o.registration_number = ?`)
      .get(jurisdiction, registrationNumber),
  );

export const findOrganisationByEnterpriseCode = (c: Connection, code: string) =>
  one(c.stmt(`${SELECT_ORG} WHERE o.enterprise_code = ?`).get(code));

export function listOrganisations(
  c: Connection,
  filter: OrganisationFilter,
  page: PageRequest,
): Page<Organisation> {
  const rows = filter.role
    ? c
        .stmt(
          `${SELECT_ORG} WHERE o.seq > ? AND EXISTS (SELECT 1 FROM org_roles r WHERE r.org_id = o.id AND r.role = ?)
           ORDER BY o.seq LIMIT ?`,
        )
        .all(page.after, filter.role, page.limit + 1)
    : c.stmt(`${SELECT_ORG} WHERE o.seq > ? ORDER BY o.seq LIMIT ?`).all(page.after, page.limit + 1);
  return Connection.page(rows as OrgRow[], page.limit, toOrganisation);
}

export function insertOrganisation(c: Connection, org: Organisation): void {
  c.stmt(
    `INSERT INTO organisations (id, kind, name, jurisdiction, registration_number, enterprise_code, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    org.id,
    org.kind,
    org.name,
    org.jurisdiction,
    org.registrationNumber,
    org.enterpriseCode,
    org.createdAt,
  );
  const addRole = c.stmt('INSERT INTO org_roles (org_id, role) VALUES (?, ?)');
  for (const role of org.roles) addRole.run(org.id, role);
}

export const hasAdminKey = (c: Connection) =>
  c
    .stmt(
      `SELECT 1 FROM api_keys k JOIN org_roles r ON r.org_id = k.org_id AND r.role = 'admin'
       WHERE k.revoked_at IS NULL LIMIT 1`,
    )
    .get() !== undefined;

export function nextCounter(c: Connection, name: string): number {
  const row = c
    .stmt(
      `INSERT INTO counters (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    )
    .get(name) as { value: number };
  return row.value;
}
