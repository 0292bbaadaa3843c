import type { RobotModel } from '../../domain/model/model.js';
import type { Page, PageRequest } from '../store.js';
import { Connection } from './connection.js';
import { modelValues, type ModelRow, toModel } from '../rows.js';

export function getModel(c: Connection, enterpriseCode: string, code: string): RobotModel | null {
  const row = c.stmt('SELECT * FROM models WHERE enterprise_code = ? AND code = ?').get(enterpriseCode, code);
  return row ? toModel(row as ModelRow) : null;
}

export function listModels(
  c: Connection,
  enterpriseCode: string | null,
  page: PageRequest,
): Page<RobotModel> {
  const rows = enterpriseCode
    ? c
        .stmt('SELECT * FROM models WHERE enterprise_code = ? AND seq > ? ORDER BY seq LIMIT ?')
        .all(enterpriseCode, page.after, page.limit + 1)
    : c.stmt('SELECT * FROM models WHERE seq > ? ORDER BY seq LIMIT ?').all(page.after, page.limit + 1);
  return Connection.page(rows as ModelRow[], page.limit, toModel);
}

export function insertModel(c: Connection, m: RobotModel): void {
  c.stmt(
    `INSERT INTO models (enterprise_code, code, manufacturer_id, name, category, capability_level, specs, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...modelValues(m));
}

export function reserveSerials(
  c: Connection,
  enterpriseCode: string,
  modelCode: string,
  count: number,
): number {
  const row = c
    .stmt(
      `UPDATE models SET next_serial = next_serial + ? WHERE enterprise_code = ? AND code = ?
       RETURNING next_serial - ? AS first`,
    )
    .get(count, enterpriseCode, modelCode, count) as { first: number } | undefined;
  if (!row) throw new Error(`model ${enterpriseCode}/${modelCode} vanished while reserving serials`);
  return row.first;
}
