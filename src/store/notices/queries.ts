import type { NoticeTopic } from '../../domain/safety/notices.js';
import type { Db } from '../sql/db.js';
import type { QueriesOf } from '../sql/queries.js';
import type { NoticeReader, NoticeRecord, NoticeWriter } from './interface.js';

interface NoticeRow {
  id: number;
  topic: string;
  created_at: string;
  robot_id: string | null;
  audience: string;
  data: string;
}

const toNotice = (row: NoticeRow): NoticeRecord => ({
  id: Number(row.id),
  topic: row.topic as NoticeTopic,
  createdAt: row.created_at,
  robotId: row.robot_id,
  audience: JSON.parse(row.audience) as string[],
  data: JSON.parse(row.data) as Record<string, unknown>,
});

export const reads: QueriesOf<NoticeReader> = {
  listNoticesAfter: async (db, afterId, limit) =>
    (await db.all<NoticeRow>('SELECT * FROM notices WHERE id > ? ORDER BY id LIMIT ?', [afterId, limit])).map(
      toNotice,
    ),

  async getNotices(db, ids) {
    if (ids.length === 0) return new Map();
    const rows = await db.all<NoticeRow>(
      `SELECT * FROM notices WHERE ${db.dialect.inList('id', 'integer')}`,
      [db.dialect.listValue(ids)],
    );
    return new Map(rows.map((row) => [Number(row.id), toNotice(row)]));
  },

  async noticeWatermark(db, name) {
    const row = await db.get<{ last_id: number }>('SELECT last_id FROM notice_watermarks WHERE name = ?', [
      name,
    ]);
    return Number(row?.last_id ?? 0);
  },
};

/**
 * The notices in one statement, sent as one JSON array. Ids continue after the largest so far in the given order:
 * every unit of work holds the writers' lock, so they follow commit order (as read_audit's do).
 */
const insertNotices = (db: Db) => `
  INSERT INTO notices (id, topic, created_at, robot_id, audience, data)
  SELECT (SELECT coalesce(max(id), 0) FROM notices) + e.n, e.topic, e.created_at, e.robot_id, e.audience, e.data
  FROM ${db.dialect.jsonRecords('e', {
    n: 'integer',
    topic: 'text',
    created_at: 'text',
    robot_id: 'text',
    audience: 'text',
    data: 'text',
  })}`;

export const writes: QueriesOf<NoticeWriter> = {
  async insertNotices(db, notices) {
    if (notices.length === 0) return;
    const records = notices.map((notice, place) => ({
      n: place + 1,
      topic: notice.topic,
      created_at: notice.createdAt,
      robot_id: notice.robotId,
      audience: JSON.stringify(notice.audience),
      data: JSON.stringify(notice.data),
    }));
    await db.run(insertNotices(db), [JSON.stringify(records)]);
  },

  async putNoticeWatermark(db, name, lastId) {
    await db.run(
      `INSERT INTO notice_watermarks (name, last_id) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id`,
      [name, lastId],
    );
  },
};
