/**
 * The outbox of notices and its consumers' watermarks. Records, and this area's part of the store interface
 * (composed in ../store.ts).
 */
import type { Notice } from '../../domain/safety/notices.js';

/** A notice in the outbox (src/app/notifications/announce.ts); ids follow commit order. */
export interface NoticeRecord extends Notice {
  id: number;
  createdAt: string;
}

export type NewNotice = Omit<NoticeRecord, 'id'>;

export interface NoticeReader {
  /** Notices with id after `afterId`, in id order: what delivery has not handled yet. */
  listNoticesAfter(afterId: number, limit: number): Promise<NoticeRecord[]>;
  /** The notices among `ids`, by id. */
  getNotices(ids: number[]): Promise<Map<number, NoticeRecord>>;
  /** How far the named consumer of the outbox has read (0: nothing yet). */
  noticeWatermark(name: string): Promise<number>;
}

export interface NoticeWriter {
  /** Appends notices to the outbox in the order given. */
  insertNotices(notices: NewNotice[]): Promise<void>;
  putNoticeWatermark(name: string, lastId: number): Promise<void>;
}
