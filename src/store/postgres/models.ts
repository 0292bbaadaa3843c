import type { RobotModel } from '../../domain/model/model.js';
import type { Page, PageRequest } from '../store.js';
import { Connection } from './connection.js';
import { modelValues, type ModelRow, toModel } from '../rows.js';

export async function getModel(
  c: Connection,
  enterpriseCode: string,
  code: string,
): Promise<RobotModel | null> {
  const row = await c.row<ModelRow>('SELECT * FROM models WHERE enterprise_code = $1 AND code = $2', [
    enterpriseCode,
    code,
  ]);
  return row ? toModel(row) : null;
}

export async function listModels(
  c: Connection,
  enterpriseCode: string | null,
  page: PageRequest,
): Promise<Page<RobotModel>> {
  const rows = enterpriseCode
    ? await c.rows<ModelRow>(
        'SELECT * FROM models WHERE enterprise_code = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [enterpriseCode, page.after, page.limit + 1],
      )
    : await c.rows<ModelRow>('SELECT * FROM models WHERE seq > $1 ORDER BY seq LIMIT $2', [
        page.after,
        page.limit + 1,
      ]);
  return Connection.page(rows, page.limit, toModel);
}

export async function insertModel(c: Connection, m: RobotModel): Promise<void> {
  await c.run(
    `INSERT INTO models
       (seq, enterprise_code, code, manufacturer_id, name, category, capability_level, specs, created_at)
     VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM models), $1, $2, $3, $4, $5, $6, $7, $8)`,
    modelValues(m),
  );
}

export async function reserveSerials(
  c: Connection,
  enterpriseCode: string,
  modelCode: string,
  count: number,
): Promise<number> {
  const row = await c.row<{ first: number }>(
    `UPDATE models SET next_serial = next_serial + $1::bigint WHERE enterprise_code = $2 AND code = $3
     RETURNING next_serial - $1::bigint AS first`,
    [count, enterpriseCode, modelCode],
  );
  if (!row) throw new Error(`model ${enterpriseCode}/${modelCode} vanished while reserving serials`);
  return row.first;
}
