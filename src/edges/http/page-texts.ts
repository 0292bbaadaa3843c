/**
 * Every text the registry's pages show, one table per language: a translation is checked here against the other
 * (the type makes both complete), never hunted for across the templates. Texts are plain (escaped when placed).
 */
export type Language = 'en' | 'zh';

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
};

export const PAGE_TEXTS: Record<Language, PageTexts> = { en, zh };
