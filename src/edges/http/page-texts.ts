/**
 * Every text the registry's pages show, one table per language: a translation is checked here against the other
 * (the type makes both complete), never hunted for across the templates. Texts are plain (escaped when placed).
 */
import type { CertificationStatus } from '../../app/robots.js';
import type { LifecycleState } from '../../domain/lifecycle/status.js';
import type { RecallRobotState } from '../../domain/safety/recalls.js';

export type Language = 'en' | 'zh';

/** The states in which a robot may not be operated: flagged on the scan page as prominently as a stop-use order. */
export type BarredState = 'lost' | 'stolen' | 'decommissioned' | 'recycled';

export interface PageTexts {
  /** The language's own name, on the switch that leads to it. */
  languageName: string;
  landing: {
    title: string;
    heading: string;
    about: string;
    lookupLabel: string;
    lookupButton: string;
    lookupHint: string;
    developers: string;
    apiReference: string;
    openApi: string;
    console: string;
  };
  /** The scan page: what a phone shows after scanning a robot's nameplate. */
  scan: {
    heading: string;
    notFoundTitle: string;
    notFoundHeading: string;
    fields: Record<'manufacturer' | 'model' | 'produced' | 'state' | 'certification' | 'issued', string>;
    notYetReported: string;
    states: Record<LifecycleState, string>;
    /** The alert over the page for a robot in a barred state. */
    barred: Record<BarredState, string>;
    certification: Record<CertificationStatus, string>;
    certifiedUntil: (date: string) => string;
    /** Certification of a robot that may not be operated: never "valid". */
    certificationNotInForce: string;
    stopUse: (order: string, since: string) => string;
    recallDue: (recall: string, summary: string, remedy: string) => string;
    recallState: (recall: string, state: string) => string;
    recallStates: Record<RecallRobotState, string>;
  };
}

const en: PageTexts = {
  languageName: 'English',
  landing: {
    title: 'robotid — humanoid robot registry',
    heading: 'National registry of humanoid robots',
    about:
      'Every humanoid robot made or sold here carries a registered ID and a QR nameplate. Scan the nameplate, or ' +
      'enter the ID below, to see who made the robot, its state and certification, and any recall or stop-use ' +
      'order. Every event of its life is kept in a public, verifiable transparency log.',
    lookupLabel: 'Robot ID',
    lookupButton: 'Look up',
    lookupHint: 'As printed on the nameplate, e.g.',
    developers: 'For manufacturers, sellers, operators and authorities',
    apiReference: 'API reference (try it in the browser)',
    openApi: 'OpenAPI document',
    console: 'Registry console',
  },
  scan: {
    heading: 'Registered robot',
    notFoundTitle: 'Not found',
    notFoundHeading: 'Not a registered robot',
    fields: {
      manufacturer: 'Manufacturer',
      model: 'Model',
      produced: 'Produced',
      state: 'State',
      certification: 'Certification',
      issued: 'ID issued',
    },
    notYetReported: 'not yet reported',
    states: {
      issued: 'ID issued',
      manufactured: 'manufactured',
      certified: 'certified',
      in_distribution: 'in distribution',
      sold: 'sold',
      in_use: 'in use',
      lost: 'reported lost',
      stolen: 'reported stolen',
      exported: 'exported',
      decommissioned: 'decommissioned (scrapped)',
      recycled: 'recycled',
    },
    barred: {
      stolen:
        'REPORTED STOLEN — this robot has been reported stolen. Do not buy or operate it; tell the police where it is.',
      lost: 'REPORTED LOST — this robot has been reported lost. Do not operate it; if you found it, tell the police.',
      decommissioned:
        'SCRAPPED — this robot has been decommissioned. It must not be operated, nor sold as a working robot.',
      recycled: 'RECYCLED — this robot has been recycled. It must not be operated.',
    },
    certification: { valid: 'valid', expired: 'expired', failed: 'failed', none: 'not certified' },
    certifiedUntil: (date) => `until ${date}`,
    certificationNotInForce: 'not in force: this robot may not be operated',
    stopUse: (order, since) => `STOP USE — order ${order} since ${since}. Do not operate this robot.`,
    recallDue: (recall, summary, remedy) =>
      `RECALL ${recall} — ${summary} Remedy: ${remedy} Not yet remedied.`,
    recallState: (recall, state) => `Recall ${recall}: ${state}.`,
    recallStates: {
      notified: 'notified',
      remedied: 'remedied',
      unreachable: 'owner unreachable',
      exempt: 'exempt',
    },
  },
};

const zh: PageTexts = {
  languageName: '中文',
  landing: {
    title: 'robotid — 人形机器人登记系统',
    heading: '人形机器人国家登记系统',
    about:
      '在此生产或销售的每台人形机器人都有登记编号和二维码铭牌。扫描铭牌或在下方输入编号，即可查看制造商、机器人状态与认证，' +
      '以及召回或停止使用令。机器人生命周期中的每一事件都记录在公开、可验证的透明日志中。',
    lookupLabel: '机器人编号',
    lookupButton: '查询',
    lookupHint: '按铭牌上的印刷填写，例如',
    developers: '面向制造商、销售商、使用单位和主管部门',
    apiReference: 'API 参考（可在浏览器中试用）',
    openApi: 'OpenAPI 文档',
    console: '登记系统控制台',
  },
  scan: {
    heading: '已登记机器人',
    notFoundTitle: '未找到',
    notFoundHeading: '未登记的机器人',
    fields: {
      manufacturer: '制造商',
      model: '型号',
      produced: '生产年月',
      state: '状态',
      certification: '认证',
      issued: '编号签发',
    },
    notYetReported: '尚未报告',
    states: {
      issued: '已发号',
      manufactured: '已生产',
      certified: '已认证',
      in_distribution: '流通中',
      sold: '已售出',
      in_use: '使用中',
      lost: '已报丢失',
      stolen: '已报被盗',
      exported: '已出口',
      decommissioned: '已报废',
      recycled: '已回收',
    },
    barred: {
      stolen: '已报被盗 — 该机器人已被报告被盗。请勿购买或操作，并将其下落告知公安机关。',
      lost: '已报丢失 — 该机器人已被报告丢失。请勿操作；如您拾得，请告知公安机关。',
      decommissioned: '已报废 — 该机器人已退役报废，不得运行，也不得作为可用机器人出售。',
      recycled: '已回收 — 该机器人已回收，不得运行。',
    },
    certification: { valid: '有效', expired: '已过期', failed: '未通过', none: '未认证' },
    certifiedUntil: (date) => `有效期至 ${date}`,
    certificationNotInForce: '不适用：该机器人不得运行',
    stopUse: (order, since) => `停止使用 — 停用令 ${order}，自 ${since} 起生效。请勿操作该机器人。`,
    recallDue: (recall, summary, remedy) => `召回 ${recall} — ${summary} 补救措施：${remedy} 尚未补救。`,
    recallState: (recall, state) => `召回 ${recall}：${state}。`,
    recallStates: { notified: '已通知', remedied: '已补救', unreachable: '无法联系所有者', exempt: '豁免' },
  },
};

export const PAGE_TEXTS: Record<Language, PageTexts> = { en, zh };
