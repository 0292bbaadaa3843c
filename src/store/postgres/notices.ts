import type { NewNotice, NoticeRecord } from '../store.js';
import type { Connection } from './connection.js';
import { noticeValues, toNotice, type NoticeRow } from '../rows.js';

/** Ids continue after the largest so far: every unit of work holds the writers' lock (as for read_audit). */
const INSERT_NOTICES = `
  INSERT INTO notices (id, topic, created_at, robot_id, audience, data)
  SELECT (SELECT coalesce(max(id), 0) FROM notices) + e.n, e.t, e.c, e.r, e.a, e.d
  FROM json_to_recordset($1::json) AS e(n bigint, t text, c text, r text, a text, d text)`;

export async function insertNotices(c: Connection, notices: NewNotice[]): Promise<void> {
  if (notices.length === 0) return;
  const rows = notices.map((notice, place) => {
    const [t, created, r, a, d] = noticeValues(notice);
    return { n: place + 1, t, c: created, r, a, d };
  });
  await c.run(INSERT_NOTICES, [JSON.stringify(rows)]);
}

export async function listNoticesAfter(
  c: Connection,
  afterId: number,
  limit: number,
): Promise<NoticeRecord[]> {
  const rows = await c.rows<NoticeRow>('SELECT * FROM notices WHERE id > $1 ORDER BY id LIMIT $2', [
    afterId,
    limit,
  ]);
  return rows.map(toNotice);
}

export async function getNotices(c: Connection, ids: number[]): Promise<Map<number, NoticeRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await c.rows<NoticeRow>('SELECT * FROM notices WHERE id = ANY($1::bigint[])', [ids]);
  return new Map(rows.map((row) => [Number(row.id), toNotice(row)]));
}

export async function noticeWatermark(c: Connection, name: string): Promise<number> {
  const row = await c.row<{ last_id: number }>('SELECT last_id FROM notice_watermarks WHERE name = $1', [
    name,
  ]);
  return Number(row?.last_id ?? 0);
}

export async function putNoticeWatermark(c: Connection, name: string, lastId: number): Promise<void> {
  await c.run(
    'INSERT INTO notice_watermarks (name, last_id) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id',
    [name, lastId],
  );
}
