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
