/**
 * Who takes part in the demo registry: manufacturers, certifiers, sellers, service providers, operators,
 * recyclers and regulators, with names, registration numbers and home regions. The organisations are kept in
 * "flow order" (the order in which a robot usually meets them), which the capture loop relies on.
 */
import type { ActivatedPayload } from '../domain/lifecycle/events.js';
import { CREDIT_CODE_ALPHABET, creditCodeCheckCharacter } from '../domain/org/credit-code.js';
import type { Role } from '../domain/org/roles.js';
import type { Random } from './random.js';

/** Real administrative division codes (GB/T 2260) where the demo's organisations sit and robots work. */
export const REGIONS: readonly { code: string; city: string; name: string; weight: number }[] = [
  { code: '110105', city: '北京', name: '北京市朝阳区', weight: 5 },
  { code: '110108', city: '北京', name: '北京市海淀区', weight: 5 },
  { code: '120116', city: '天津', name: '天津市滨海新区', weight: 3 },
  { code: '310104', city: '上海', name: '上海市徐汇区', weight: 3 },
  { code: '310115', city: '上海', name: '上海市浦东新区', weight: 7 },
  { code: '320115', city: '南京', name: '南京市江宁区', weight: 3 },
  { code: '320505', city: '苏州', name: '苏州市虎丘区', weight: 4 },
  { code: '320506', city: '苏州', name: '苏州市吴中区', weight: 3 },
  { code: '330106', city: '杭州', name: '杭州市西湖区', weight: 3 },
  { code: '330110', city: '杭州', name: '杭州市余杭区', weight: 4 },
  { code: '330212', city: '宁波', name: '宁波市鄞州区', weight: 2 },
  { code: '340104', city: '合肥', name: '合肥市蜀山区', weight: 2 },
  { code: '350203', city: '厦门', name: '厦门市思明区', weight: 2 },
  { code: '370102', city: '济南', name: '济南市历下区', weight: 2 },
  { code: '370212', city: '青岛', name: '青岛市崂山区', weight: 2 },
  { code: '420111', city: '武汉', name: '武汉市洪山区', weight: 3 },
  { code: '430104', city: '长沙', name: '长沙市岳麓区', weight: 2 },
  { code: '440106', city: '广州', name: '广州市天河区', weight: 5 },
  { code: '440305', city: '深圳', name: '深圳市南山区', weight: 6 },
  { code: '440306', city: '深圳', name: '深圳市宝安区', weight: 4 },
  { code: '440307', city: '深圳', name: '深圳市龙岗区', weight: 4 },
  { code: '441900', city: '东莞', name: '东莞市', weight: 5 },
  { code: '442000', city: '中山', name: '中山市', weight: 2 },
  { code: '500112', city: '重庆', name: '重庆市渝北区', weight: 3 },
  { code: '510107', city: '成都', name: '成都市武侯区', weight: 3 },
  { code: '610113', city: '西安', name: '西安市雁塔区', weight: 2 },
  { code: '210106', city: '沈阳', name: '沈阳市铁西区', weight: 2 },
  { code: '220104', city: '长春', name: '长春市朝阳区', weight: 1 },
  { code: '230103', city: '哈尔滨', name: '哈尔滨市南岗区', weight: 1 },
  { code: '410105', city: '郑州', name: '郑州市金水区', weight: 2 },
  { code: '450103', city: '南宁', name: '南宁市青秀区', weight: 1 },
  { code: '530102', city: '昆明', name: '昆明市五华区', weight: 1 },
  { code: '130102', city: '石家庄', name: '石家庄市长安区', weight: 1 },
  { code: '140105', city: '太原', name: '太原市小店区', weight: 1 },
  { code: '360111', city: '南昌', name: '南昌市青山湖区', weight: 1 },
  { code: '520115', city: '贵阳', name: '贵阳市观山湖区', weight: 1 },
];

export type OrgKind =
  | 'manufacturer'
  | 'certifier'
  | 'distributor'
  | 'seller'
  | 'operator'
  | 'service_provider'
  | 'regulator'
  | 'recycler';

/** The order in which a robot usually meets them: the capture loop serves reporters in this order. */
export const FLOW_ORDER: readonly OrgKind[] = [
  'manufacturer',
  'certifier',
  'distributor',
  'seller',
  'operator',
  'service_provider',
  'regulator',
  'recycler',
];

export type Sector =
  'hospital' | 'care' | 'factory' | 'logistics' | 'retail' | 'hospitality' | 'research' | 'home';

export interface DemoOrg {
  index: number;
  kind: OrgKind;
  name: string;
  roles: Role[];
  jurisdiction: string;
  registrationNumber: string;
  /** Home region (GB/T 2260), also inside a Chinese credit code. */
  region: string;
  /** Operators only: what they do, which decides where their robots work. */
  sector?: Sector;
  /** Operators only: relative size (how many robots they buy). */
  size: number;
  /** Short prefix for document numbers (certificates, stop-use orders). */
  prefix: string;
}

const SITE_TYPES: Record<Sector, readonly ActivatedPayload['siteType'][]> = {
  hospital: ['hospital', 'hospital', 'hospital', 'care_home'],
  care: ['care_home', 'care_home', 'home'],
  factory: ['factory', 'factory', 'factory', 'warehouse'],
  logistics: ['warehouse', 'warehouse', 'warehouse', 'factory'],
  retail: ['retail', 'retail', 'public_space', 'warehouse'],
  hospitality: ['public_space', 'office', 'retail'],
  research: ['research', 'research', 'office'],
  home: ['home', 'home', 'care_home', 'other'],
};

export const siteTypesOf = (sector: Sector) => SITE_TYPES[sector];

const OPERATOR_FORMS: Record<Sector, { weight: number; names: readonly string[]; institution?: boolean }> = {
  hospital: { weight: 14, names: ['医院', '中医医院', '康复医院', '妇幼保健院'], institution: true },
  care: { weight: 10, names: ['养老服务有限公司', '康养产业有限公司', '颐养中心有限公司'] },
  factory: {
    weight: 30,
    names: [
      '汽车零部件有限公司',
      '精密制造有限公司',
      '电子科技有限公司',
      '新能源科技有限公司',
      '家电制造有限公司',
    ],
  },
  logistics: { weight: 20, names: ['物流有限公司', '供应链管理有限公司', '仓储服务有限公司'] },
  retail: { weight: 12, names: ['商业管理有限公司', '超市连锁有限公司', '百货有限公司'] },
  hospitality: { weight: 7, names: ['酒店管理有限公司', '会展服务有限公司', '物业服务有限公司'] },
  research: { weight: 4, names: ['智能技术研究院', '机器人创新中心有限公司'], institution: true },
  home: { weight: 3, names: ['家政服务有限公司', '居家照护服务有限公司'] },
};

const TRADE_NAMES = [
  '瑞康',
  '仁和',
  '华信',
  '恒通',
  '宏达',
  '精诚',
  '远航',
  '新元',
  '国泰',
  '锦程',
  '安和',
  '鼎盛',
  '永安',
  '德润',
  '天成',
  '嘉禾',
  '启明',
  '博远',
  '中恒',
  '天润',
  '明辉',
  '凯旋',
  '众诚',
  '海纳',
  '金桥',
  '东升',
  '长青',
  '龙腾',
  '汇智',
  '佳和',
  '顺达',
  '联创',
  '益康',
  '同心',
  '和美',
  '信达',
  '万通',
  '卓越',
  '恒远',
  '华晟',
  '利群',
  '福瑞',
  '盛世',
  '泰和',
  '乐康',
  '祥云',
  '通运',
  '普惠',
  '宏图',
  '正泰',
  '新华',
  '飞越',
  '润泽',
  '友谊',
  '晨光',
  '星河',
];

interface Fixed {
  kind: OrgKind;
  name: string;
  region: string;
  prefix: string;
  /** A foreign register: jurisdiction and number; else a Chinese credit code is made. */
  foreign?: { jurisdiction: string; number: string };
  /** Credit code positions 1–2: 91 company, 12 public institution, 11 government body. */
  category?: string;
}

const FIXED: readonly Fixed[] = [
  { kind: 'manufacturer', name: '北京天工智元机器人有限公司', region: '110108', prefix: 'TG' },
  { kind: 'manufacturer', name: '上海灵犀人形机器人科技有限公司', region: '310115', prefix: 'LX' },
  { kind: 'manufacturer', name: '深圳擎天智能科技有限公司', region: '440305', prefix: 'QT' },
  { kind: 'manufacturer', name: '杭州云步机器人有限公司', region: '330110', prefix: 'YB' },
  {
    kind: 'manufacturer',
    name: 'Bewegt Robotik GmbH',
    region: '310115',
    prefix: 'BR',
    foreign: { jurisdiction: 'DE', number: 'HRB 248817' },
  },
  {
    kind: 'manufacturer',
    name: 'Kazeyama Robotics K.K.',
    region: '310104',
    prefix: 'KZ',
    foreign: { jurisdiction: 'JP', number: '4011001139726' },
  },
  { kind: 'certifier', name: '中鉴机器人检测认证有限公司', region: '110108', prefix: 'ZJRC' },
  { kind: 'certifier', name: '华安智能装备认证中心有限公司', region: '310104', prefix: 'HACC' },
  { kind: 'distributor', name: '华北智能装备分销有限公司', region: '120116', prefix: 'HB' },
  { kind: 'distributor', name: '华东机器人供应链有限公司', region: '320505', prefix: 'HD' },
  { kind: 'seller', name: '北京智联机器人销售有限公司', region: '110105', prefix: 'ZL' },
  { kind: 'seller', name: '上海易达机器人科技服务有限公司', region: '310115', prefix: 'YD' },
  { kind: 'seller', name: '广州粤智机器人贸易有限公司', region: '440106', prefix: 'YZ' },
  { kind: 'seller', name: '深圳鹏城智能装备有限公司', region: '440306', prefix: 'PC' },
  { kind: 'seller', name: '成都天府机器人销售有限公司', region: '510107', prefix: 'TF' },
  { kind: 'seller', name: '武汉楚智机器人有限公司', region: '420111', prefix: 'CZ' },
  { kind: 'seller', name: '杭州之江智能设备有限公司', region: '330106', prefix: 'ZJ' },
  { kind: 'seller', name: '西安秦创机器人销售有限公司', region: '610113', prefix: 'QC' },
  { kind: 'service_provider', name: '安维机器人运维服务有限公司', region: '310115', prefix: 'AW' },
  { kind: 'service_provider', name: '智修（深圳）机器人技术服务有限公司', region: '440305', prefix: 'ZX' },
  { kind: 'service_provider', name: '北京恒保智能设备维修有限公司', region: '110105', prefix: 'HBW' },
  { kind: 'service_provider', name: '苏州精维自动化服务有限公司', region: '320506', prefix: 'JW' },
  { kind: 'service_provider', name: '广州捷修机器人服务有限公司', region: '440106', prefix: 'JX' },
  { kind: 'service_provider', name: '成都蜀维智能科技有限公司', region: '510107', prefix: 'SW' },
  { kind: 'service_provider', name: '杭州云维机器人服务有限公司', region: '330106', prefix: 'YW' },
  { kind: 'service_provider', name: '武汉江城智能装备维保有限公司', region: '420111', prefix: 'JC' },
  {
    kind: 'regulator',
    name: '国家人形机器人安全监督管理中心',
    region: '110105',
    prefix: 'GJJG',
    category: '11',
  },
  { kind: 'regulator', name: '广东省智能装备安全监察局', region: '440106', prefix: 'YJC', category: '11' },
  { kind: 'recycler', name: '华绿再生资源科技有限公司', region: '320115', prefix: 'HL' },
  { kind: 'recycler', name: '中循智能装备回收有限公司', region: '420111', prefix: 'ZXH' },
  { kind: 'recycler', name: '南方电子废弃物处理有限公司', region: '441900', prefix: 'NF' },
];

const ROLES: Record<OrgKind, Role[]> = {
  manufacturer: ['manufacturer'],
  certifier: ['certifier'],
  distributor: ['seller'],
  seller: ['seller'],
  operator: ['operator'],
  service_provider: ['service_provider'],
  regulator: ['regulator'],
  recycler: ['recycler'],
};

/** A valid unified social credit code (GB 32100-2015) for an organisation registered in `region`. */
function creditCode(rng: Random, category: string, region: string): string {
  // Positions 9–17 stand for the GB 11714 organisation code; the credit code alphabet throughout.
  const first17 = `${category}${region}${rng.chars(CREDIT_CODE_ALPHABET, 9)}`;
  return first17 + creditCodeCheckCharacter(first17);
}

export interface Population {
  orgs: DemoOrg[];
  /** Indices into `orgs`, by kind. */
  of: Record<OrgKind, number[]>;
}

/** The organisations: the fixed ones plus `operators` generated operators (companies, hospitals, …). */
export function buildPopulation(rng: Random, operators: number): Population {
  const made: Omit<DemoOrg, 'index'>[] = [];
  const numbers = new Set<string>();
  const unique = (make: () => string) => {
    for (;;) {
      const n = make();
      if (!numbers.has(n)) {
        numbers.add(n);
        return n;
      }
    }
  };
  for (const f of FIXED) {
    made.push({
      kind: f.kind,
      name: f.name,
      roles: ROLES[f.kind],
      jurisdiction: f.foreign?.jurisdiction ?? 'CN',
      registrationNumber: f.foreign
        ? unique(() => f.foreign!.number)
        : unique(() => creditCode(rng, f.category ?? '91', f.region)),
      region: f.region,
      size: 1,
      prefix: f.prefix,
    });
  }
  const names = new Set<string>();
  const regionWeights = REGIONS.map((r) => [r, r.weight] as const);
  const sectors = (Object.keys(OPERATOR_FORMS) as Sector[]).map(
    (s) => [s, OPERATOR_FORMS[s].weight] as const,
  );
  for (let i = 0; i < operators; i++) {
    const sector = rng.weighted(sectors);
    const form = OPERATOR_FORMS[sector];
    let region = rng.weighted(regionWeights);
    let name = '';
    for (let attempt = 0; name === '' || names.has(name); attempt++) {
      if (attempt > 20) region = rng.weighted(regionWeights);
      name = `${region.city}${rng.pick(TRADE_NAMES)}${rng.pick(form.names)}`;
    }
    names.add(name);
    made.push({
      kind: 'operator',
      name,
      roles: ['operator'],
      jurisdiction: 'CN',
      registrationNumber: unique(() => creditCode(rng, form.institution ? '12' : '91', region.code)),
      region: region.code,
      sector,
      // A few large fleets, many small ones.
      size: Math.exp(rng.between(0, 3.2)) * (sector === 'factory' || sector === 'logistics' ? 1.6 : 1),
      prefix: `OP${i + 1}`,
    });
  }
  const rank = (kind: OrgKind) => FLOW_ORDER.indexOf(kind);
  const orgs = made
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o.kind) - rank(b.o.kind) || a.i - b.i)
    .map(({ o }, index) => ({ ...o, index }));
  const of = Object.fromEntries(FLOW_ORDER.map((k) => [k, [] as number[]])) as Record<OrgKind, number[]>;
  for (const org of orgs) of[org.kind].push(org.index);
  return { orgs, of };
}
