import type { NewNotice, NoticeRecord } from '../store.js';
import type { Connection } from './connection.js';
import { noticeValues, toNotice, type NoticeRow } from '../rows.js';

export function insertNotices(c: Connection, notices: NewNotice[]): void {
  const insert = c.stmt(
    'INSERT INTO notices (topic, created_at, robot_id, audience, data) VALUES (?, ?, ?, ?, ?)',
  );
  for (const notice of notices) insert.run(...noticeValues(notice));
}

export function listNoticesAfter(c: Connection, afterId: number, limit: number): NoticeRecord[] {
  const rows = c
    .stmt('SELECT * FROM notices WHERE id > ? ORDER BY id LIMIT ?')
    .all(afterId, limit) as NoticeRow[];
  return rows.map(toNotice);
}

export function getNotices(c: Connection, ids: number[]): Map<number, NoticeRecord> {
  if (ids.length === 0) return new Map();
  const rows = c
    .stmt('SELECT * FROM notices WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as NoticeRow[];
  return new Map(rows.map((row) => [Number(row.id), toNotice(row)]));
}

export function noticeWatermark(c: Connection, name: string): number {
  const row = c.stmt('SELECT last_id FROM notice_watermarks WHERE name = ?').get(name) as
    { last_id: number } | undefined;
  return row?.last_id ?? 0;
}

export function putNoticeWatermark(c: Connection, name: string, lastId: number): void {
  c.stmt(
    'INSERT INTO notice_watermarks (name, last_id) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id',
  ).run(name, lastId);
}
