import type { NoticeRecord } from '../../store/store.js';

/**
 * What a receiver gets for a notice (webhook body and NATS message): {type, timestamp, data}. The audience (other
 * organisations' ids) goes only to those who may see every notice: regulators, and the NATS stream.
 */
export function noticePayload(notice: NoticeRecord, withAudience: boolean) {
  return {
    type: notice.topic,
    timestamp: notice.createdAt,
    data: {
      ...notice.data,
      noticeId: notice.id,
      robotId: notice.robotId,
      ...(withAudience ? { audience: notice.audience } : {}),
    },
  };
}
