import type { Organisation } from '../../domain/org/organisation.js';
import type { OrganisationFilter, Page, PageRequest } from '../store.js';
import { Connection } from './connection.js';
import { type OrgRow, toOrganisation } from '../rows.js';

const SELECT_ORG = `
  SELECT o.*, (SELECT string_agg(role, ',') FROM org_roles r WHERE r.org_id = o.id) AS roles
  FROM organisations o`;

const one = (row: OrgRow | undefined) => (row ? toOrganisation(row) : null);

export const getOrganisation = async (c: Connection, id: string) =>
  one(await c.row<OrgRow>(`${SELECT_ORG} WHERE o.id = $1`, [id]));

export const findOrganisationByRegistration = async (
  c: Connection,
  jurisdiction: string,
  registrationNumber: string,
) =>
  one(
    await c.row<OrgRow>(`${SELECT_ORG} WHERE o.jurisdiction = $1 AND o.registration_number = $2`, [
      jurisdiction,
      registrationNumber,
    ]),
  );

export const findOrganisationByEnterpriseCode = async (c: Connection, code: string) =>
  one(await c.row<OrgRow>(`${SELECT_ORG} WHERE o.enterprise_code = $1`, [code]));

export async function listOrganisations(
  c: Connection,
  filter: OrganisationFilter,
  page: PageRequest,
): Promise<Page<Organisation>> {
  const rows = filter.role
    ? await c.rows<OrgRow>(
        `${SELECT_ORG} WHERE o.seq > $1 AND EXISTS (SELECT 1 FROM org_roles r WHERE r.org_id = o.id AND r.role = $2)
         ORDER BY o.seq LIMIT $3`,
        [page.after, filter.role, page.limit + 1],
      )
    : await c.rows<OrgRow>(`${SELECT_ORG} WHERE o.seq > $1 ORDER BY o.seq LIMIT $2`, [
        page.after,
        page.limit + 1,
      ]);
  return Connection.page(rows, page.limit, toOrganisation);
}

export async function insertOrganisation(c: Connection, org: Organisation): Promise<void> {
  await c.run(
    `INSERT INTO organisations (seq, id, kind, name, jurisdiction, registration_number, enterprise_code, created_at)
     VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM organisations), $1, $2, $3, $4, $5, $6, $7)`,
    [org.id, org.kind, org.name, org.jurisdiction, org.registrationNumber, org.enterpriseCode, org.createdAt],
  );
  await c.run('INSERT INTO org_roles (org_id, role) SELECT $1, unnest($2::text[])', [org.id, org.roles]);
}

export const hasAdminKey = async (c: Connection) =>
  (await c.row(
    `SELECT 1 FROM api_keys k JOIN org_roles r ON r.org_id = k.org_id AND r.role = 'admin'
     WHERE k.revoked_at IS NULL LIMIT 1`,
  )) !== undefined;

export async function nextCounter(c: Connection, name: string): Promise<number> {
  const row = await c.row<{ value: number }>(
    `INSERT INTO counters (name, value) VALUES ($1, 1)
     ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`,
    [name],
  );
  return row!.value;
}
