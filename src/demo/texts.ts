/** The words in the demo's events: service notes, incidents, export markets, recycling outcomes. */
import type {
  Component,
  ComponentKind,
  IncidentPayload,
  RecycledPayload,
} from '../domain/lifecycle/events.js';
import type { DemoModel } from './catalogue.js';
import type { Random } from './random.js';

/** Country and the importer abroad. */
export const EXPORT_MARKETS: readonly (readonly [string, string])[] = [
  ['VN', 'Công ty TNHH Robot Sài Gòn'],
  ['TH', 'Siam Automation Co., Ltd.'],
  ['MY', 'Nusantara Robotics Sdn. Bhd.'],
  ['ID', 'PT Robotika Jaya Abadi'],
  ['SG', 'Lion City Robotics Pte. Ltd.'],
  ['AE', 'Gulf Humanoid Solutions LLC'],
  ['SA', 'Najd Industrial Robotics Co.'],
  ['KZ', 'Steppe Robotics LLP'],
  ['BR', 'Robótica Paulista Ltda.'],
  ['MX', 'Automatización del Bajío S.A. de C.V.'],
  ['DE', 'Rhein-Main Service Robotik GmbH'],
  ['HU', 'Duna Robotika Kft.'],
];

const SERVICE_TEXT = {
  maintenance: ['定期保养：关节润滑、紧固件检查 (scheduled maintenance)', '季度保养 (quarterly maintenance)'],
  inspection: ['年度安全检查 (annual safety inspection)', '跌倒保护功能检查 (fall protection check)'],
  repair: ['故障维修 (repair after a fault)'],
  firmware_update: ['固件升级 (firmware update)', '安全补丁升级 (security patch)'],
} as const;

const REPAIR_TEXT: Partial<Record<ComponentKind, string>> = {
  actuator: '关节异响，更换执行器 (noisy joint, actuator replaced)',
  battery_pack: '电池容量衰减，更换电池组 (battery capacity low, pack replaced)',
  hand: '灵巧手抓握失灵，更换 (hand no longer grips, replaced)',
  camera: '视觉模组故障，更换 (camera fault, replaced)',
  lidar: '激光雷达故障，更换 (lidar fault, replaced)',
  main_controller: '主控板故障，更换 (main controller fault, replaced)',
  compute_module: '计算模组过热，更换 (compute module overheating, replaced)',
  sensor: '力矩传感器漂移，更换 (torque sensor drift, replaced)',
};

/** What the service report says; a repair names the part it replaced. */
export function serviceText(
  rng: Random,
  kind: keyof typeof SERVICE_TEXT,
  replaced: ComponentKind | undefined,
  recall: boolean,
): string {
  if (recall) return '召回：更换电池组 (recall: battery pack replaced)';
  const repair = replaced === undefined ? undefined : REPAIR_TEXT[replaced];
  return repair ?? rng.pick(SERVICE_TEXT[kind]);
}

const INCIDENTS: readonly (readonly [IncidentPayload['category'], number, string])[] = [
  ['fault', 40, '运行中关节过热停机 (joint overheated, robot stopped)'],
  ['fall', 22, '在湿滑地面跌倒 (fell on a wet floor)'],
  ['collision', 20, '搬运时与货架碰撞 (collided with a shelf while carrying)'],
  ['injury', 5, '与人员接触造成轻微擦伤 (contact with a person, minor bruise)'],
  ['cyber', 3, '检测到异常远程登录 (unusual remote login detected)'],
  ['fire', 2, '电池仓冒烟 (smoke from the battery compartment)'],
  ['other', 8, '其他异常 (other anomaly)'],
];

export function incidentPayload(rng: Random): IncidentPayload {
  const [category, , description] = rng.weighted(INCIDENTS.map((i) => [i, i[1]] as const));
  const severity = rng.weighted([
    ['minor', 72],
    ['moderate', 20],
    ['serious', 7],
    ['critical', 1],
  ] as const);
  const escalated = category === 'fire' && severity === 'minor' ? 'moderate' : severity;
  return {
    category,
    severity: escalated,
    description,
    ...(category === 'injury' ? { injuries: 1 } : {}),
  };
}

/** What a recycler reports: each component's fate, and the materials recovered. */
export function recycledPayload(rng: Random, components: Component[], model: DemoModel): RecycledPayload {
  const outcome = (c: Component): 'reused' | 'recycled' | 'disposed' => {
    if (c.kind === 'battery_pack') return 'recycled';
    if (c.kind === 'actuator' || c.kind === 'hand') return rng.chance(0.45) ? 'reused' : 'recycled';
    return rng.weighted([
      ['reused', 3],
      ['recycled', 5],
      ['disposed', 2],
    ] as const);
  };
  const mass = model.specs.massKg ?? 50;
  const kg = (share: number) => Math.round(mass * share * rng.between(0.9, 1.1) * 10) / 10;
  return {
    components: components.map((c) => ({
      partNumber: c.partNumber,
      ...(c.serial === undefined ? {} : { serial: c.serial }),
      ...(c.lot === undefined ? {} : { lot: c.lot }),
      outcome: outcome(c),
    })),
    materialsKg: {
      steel: kg(0.3),
      aluminium: kg(0.25),
      copper: kg(0.07),
      plastics: kg(0.15),
      battery: kg(0.12),
    },
  };
}
