import type { RobotModel } from '../../domain/model/model.js';
import type { Db } from '../sql/db.js';
import { pageOf } from '../sql/page.js';
import type { QueriesOf } from '../sql/queries.js';
import type { ModelReader, ModelWriter } from './interface.js';

interface ModelRow {
  seq: number;
  enterprise_code: string;
  code: string;
  manufacturer_id: string;
  name: string;
  category: RobotModel['category'];
  capability_level: RobotModel['capabilityLevel'];
  specs: string;
  created_at: string;
}

const toModel = (row: ModelRow): RobotModel => ({
  enterpriseCode: row.enterprise_code,
  code: row.code,
  manufacturerId: row.manufacturer_id,
  name: row.name,
  category: row.category,
  capabilityLevel: row.capability_level,
  specs: JSON.parse(row.specs) as RobotModel['specs'],
  createdAt: row.created_at,
});

export const reads: QueriesOf<ModelReader> = {
  async getModel(db, enterpriseCode, code) {
    const row = await db.get<ModelRow>('SELECT * FROM models WHERE enterprise_code = ? AND code = ?', [
      enterpriseCode,
      code,
    ]);
    return row ? toModel(row) : null;
  },

  async listModels(db, enterpriseCode, page) {
    const rows = enterpriseCode
      ? await db.all<ModelRow>(
          'SELECT * FROM models WHERE enterprise_code = ? AND seq > ? ORDER BY seq LIMIT ?',
          [enterpriseCode, page.after, page.limit + 1],
        )
      : await db.all<ModelRow>('SELECT * FROM models WHERE seq > ? ORDER BY seq LIMIT ?', [
          page.after,
          page.limit + 1,
        ]);
    return pageOf(rows, page.limit, toModel);
  },
};

export const writes: QueriesOf<ModelWriter> = {
  // seq orders listings; the writers' lock makes max(seq) + 1 safe (PostgreSQL's table has no sequence).
  async insertModel(db: Db, m) {
    await db.run(
      `INSERT INTO models
         (seq, enterprise_code, code, manufacturer_id, name, category, capability_level, specs, created_at)
       VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM models), ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        m.enterpriseCode,
        m.code,
        m.manufacturerId,
        m.name,
        m.category,
        m.capabilityLevel,
        JSON.stringify(m.specs),
        m.createdAt,
      ],
    );
  },

  async reserveSerials(db, enterpriseCode, modelCode, count) {
    const row = await db.get<{ first: number }>(
      `UPDATE models SET next_serial = next_serial + CAST(? AS BIGINT) WHERE enterprise_code = ? AND code = ?
       RETURNING next_serial - CAST(? AS BIGINT) AS first`,
      [count, enterpriseCode, modelCode, count],
    );
    if (!row) throw new Error(`model ${enterpriseCode}/${modelCode} vanished while reserving serials`);
    return row.first;
  },
};
