/**
 * What the demo's manufacturers make: models (with their specs and popularity), the key components each model
 * is built from (part numbers shared across a maker's models, lots that change every few weeks) and the
 * firmware each runs, with versions released over time.
 */
import type { ComponentKind } from '../domain/lifecycle/events.js';
import type { CapabilityLevel, ModelCategory, ModelSpecs } from '../domain/model/model.js';

export const DAY_MS = 86_400_000;

export interface Part {
  kind: ComponentKind;
  manufacturer: string;
  partNumber: string;
  /** Serial-numbered (each unit unique); otherwise tracked by lot only. */
  serialised: boolean;
  /** A new lot every so many days. */
  lotDays: number;
}

/** A part and where it sits (one component per position). */
export interface Fitting {
  part: Part;
  positions: readonly (string | undefined)[];
}

export interface DemoModel {
  /** Index into the manufacturers (0-based, in flow order). */
  maker: number;
  code: string;
  name: string;
  category: ModelCategory;
  capabilityLevel: CapabilityLevel;
  specs: ModelSpecs;
  /** How many of the maker's robots are this model, relatively. */
  popularity: number;
  /** Days after the start of the demo period when production begins. */
  launchDay: number;
  bom: readonly Fitting[];
}

const part = (
  kind: ComponentKind,
  manufacturer: string,
  partNumber: string,
  lotDays: number,
  serialised = true,
): Part => ({ kind, manufacturer, partNumber, serialised, lotDays });

// Suppliers: several makers buy the same compute module and sensors, so their lots span makers.
const COMPUTE_A = part('compute_module', '芯算科技（上海）有限公司', 'XS-AI200', 30);
const COMPUTE_B = part('compute_module', '芯算科技（上海）有限公司', 'XS-AI400', 30);
const COMPUTE_DE = part('compute_module', 'Rechenwerk Embedded GmbH', 'RW-EDGE-8', 45);
const IMU = part('sensor', '明导传感技术有限公司', 'MD-IMU9', 14, false);
const FT_SENSOR = part('sensor', '明导传感技术有限公司', 'MD-FT6', 21);
const STEREO = part('camera', '明视光电有限公司', 'MS-ST3', 14);
const LIDAR = part('lidar', '雷图激光科技有限公司', 'LT-M16', 14);

interface MakerParts {
  leg: Part;
  arm: Part;
  hand: Part;
  battery: Part;
  controller: Part;
  compute: Part;
}

const MAKER_PARTS: readonly MakerParts[] = [
  {
    leg: part('actuator', '江南精密传动有限公司', 'JN-RJ80', 14),
    arm: part('actuator', '江南精密传动有限公司', 'JN-RJ40', 14),
    hand: part('hand', '北京天工智元机器人有限公司', 'TG-DH5', 21),
    battery: part('battery_pack', '瑞能电池科技有限公司', 'RN-48V20', 21),
    controller: part('main_controller', '北京天工智元机器人有限公司', 'TG-MC3', 45),
    compute: COMPUTE_A,
  },
  {
    leg: part('actuator', '苏州谐动关节科技有限公司', 'XD-J70', 14),
    arm: part('actuator', '苏州谐动关节科技有限公司', 'XD-J35', 14),
    hand: part('hand', '上海灵犀人形机器人科技有限公司', 'LX-SH2', 21),
    battery: part('battery_pack', '瑞能电池科技有限公司', 'RN-48V15', 21),
    controller: part('main_controller', '上海灵犀人形机器人科技有限公司', 'LX-CU2', 45),
    compute: COMPUTE_B,
  },
  {
    leg: part('actuator', '深圳力擎驱动技术有限公司', 'LQ-HT120', 14),
    arm: part('actuator', '深圳力擎驱动技术有限公司', 'LQ-HT60', 14),
    hand: part('hand', '深圳擎天智能科技有限公司', 'QT-GR3', 21),
    battery: part('battery_pack', '鹏能动力电池有限公司', 'PN-72V30', 21),
    controller: part('main_controller', '深圳擎天智能科技有限公司', 'QT-BRAIN2', 45),
    compute: COMPUTE_B,
  },
  {
    leg: part('actuator', '江南精密传动有限公司', 'JN-RJ60', 14),
    arm: part('actuator', '江南精密传动有限公司', 'JN-RJ30', 14),
    hand: part('hand', '杭州云步机器人有限公司', 'YB-H1', 21),
    battery: part('battery_pack', '瑞能电池科技有限公司', 'RN-36V12', 21),
    controller: part('main_controller', '杭州云步机器人有限公司', 'YB-CORE1', 45),
    compute: COMPUTE_A,
  },
  {
    leg: part('actuator', 'Antriebstechnik Süd GmbH', 'ATS-RA90', 21),
    arm: part('actuator', 'Antriebstechnik Süd GmbH', 'ATS-RA45', 21),
    hand: part('hand', 'Bewegt Robotik GmbH', 'BR-GRIP4', 30),
    battery: part('battery_pack', 'Voltwerk Batteriesysteme GmbH', 'VW-B48-18', 30),
    controller: part('main_controller', 'Bewegt Robotik GmbH', 'BR-STEUER2', 60),
    compute: COMPUTE_DE,
  },
  {
    leg: part('actuator', 'Shizuka Drive Co., Ltd.', 'SD-HA75', 21),
    arm: part('actuator', 'Shizuka Drive Co., Ltd.', 'SD-HA30', 21),
    hand: part('hand', 'Kazeyama Robotics K.K.', 'KZ-TE3', 30),
    battery: part('battery_pack', '瑞能电池科技有限公司', 'RN-48V15', 21),
    controller: part('main_controller', 'Kazeyama Robotics K.K.', 'KZ-NOU2', 60),
    compute: COMPUTE_A,
  },
];

const LEGS = {
  2: ['left_knee', 'right_knee'],
  4: ['left_hip', 'right_hip', 'left_knee', 'right_knee'],
  6: ['left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle'],
} as const;
const ARMS = {
  0: [],
  2: ['left_shoulder', 'right_shoulder'],
  4: ['left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow'],
} as const;

interface Build {
  legs: 2 | 4 | 6;
  arms: 0 | 2 | 4;
  hands?: boolean;
  lidar?: boolean;
  torque?: boolean;
}

/** 6 to 12 key components: actuators, hands, battery, controller, compute, camera, IMU, maybe lidar. */
function bom(maker: number, b: Build): Fitting[] {
  const p = MAKER_PARTS[maker]!;
  const fittings: Fitting[] = [
    { part: p.leg, positions: LEGS[b.legs] },
    ...(b.arms > 0 ? [{ part: p.arm, positions: ARMS[b.arms] }] : []),
    ...(b.hands ? [{ part: p.hand, positions: ['left_hand', 'right_hand'] }] : []),
    { part: p.battery, positions: ['torso'] },
    { part: p.controller, positions: [undefined] },
    { part: p.compute, positions: [undefined] },
    { part: STEREO, positions: ['head'] },
    { part: IMU, positions: ['torso'] },
    ...(b.lidar ? [{ part: LIDAR, positions: ['head'] }] : []),
    ...(b.torque ? [{ part: FT_SENSOR, positions: ['right_wrist'] }] : []),
  ];
  const count = fittings.reduce((n, f) => n + f.positions.length, 0);
  if (count < 6 || count > 12) throw new Error(`model of maker ${maker} has ${count} components`);
  return fittings;
}

type Row = [
  maker: number,
  code: string,
  name: string,
  category: ModelCategory,
  level: CapabilityLevel,
  heightMm: number,
  massKg: number,
  dof: number,
  payloadKg: number,
  popularity: number,
  launchDay: number,
  build: Build,
];

// prettier-ignore
const ROWS: readonly Row[] = [
  [0, 'TG1A01', '天工 TG-1', 'general_purpose', 'L3', 1650, 58, 42, 8, 8, 0, { legs: 2, arms: 2, hands: true }],
  [0, 'TG1P01', '天工 TG-1 Pro', 'general_purpose', 'L4', 1680, 62, 48, 10, 6, 420, { legs: 2, arms: 4, lidar: true }],
  [0, 'TG2F01', '天工 TG-2 Factory', 'industrial', 'L3', 1700, 70, 40, 20, 9, 60, { legs: 4, arms: 2, torque: true }],
  [0, 'TG2L01', '天工 TG-2 Logistics', 'logistics', 'L3', 1700, 68, 36, 25, 7, 180, { legs: 4, arms: 2, lidar: true }],
  [0, 'TG3R01', '天工 TG-3 Research', 'education_research', 'L4', 1600, 52, 56, 6, 1, 300, { legs: 6, arms: 0, lidar: true }],
  [0, 'TGM501', '天工 Mini S', 'entertainment', 'L2', 1200, 32, 24, 2, 2, 500, { legs: 2, arms: 2 }],
  [1, 'LX1C10', '灵犀 Care 1', 'healthcare', 'L3', 1550, 45, 32, 5, 8, 0, { legs: 2, arms: 2, hands: true }],
  [1, 'LX2C10', '灵犀 Care 2', 'healthcare', 'L4', 1580, 47, 38, 6, 6, 480, { legs: 2, arms: 2, hands: true, lidar: true }],
  [1, 'LX1S10', '灵犀 Serve', 'commercial_service', 'L3', 1600, 50, 30, 8, 7, 90, { legs: 4, arms: 2, lidar: true }],
  [1, 'LX1H10', '灵犀 Home', 'household', 'L2', 1450, 40, 28, 4, 3, 240, { legs: 2, arms: 2, hands: true }],
  [1, 'LX1G10', '灵犀 Guide', 'commercial_service', 'L3', 1620, 48, 26, 3, 4, 150, { legs: 2, arms: 0, lidar: true }],
  [1, 'LX9N10', '灵犀 Nova', 'general_purpose', 'L4', 1700, 60, 50, 12, 2, 640, { legs: 2, arms: 4, torque: true }],
  [2, 'KT5000', '擎天 Titan T5', 'industrial', 'L3', 1780, 82, 40, 25, 9, 0, { legs: 4, arms: 2, torque: true }],
  [2, 'KT7000', '擎天 Titan T7', 'industrial', 'L4', 1800, 85, 44, 30, 6, 450, { legs: 2, arms: 2, hands: true, torque: true }],
  [2, 'KTL500', '擎天 Porter P5', 'logistics', 'L3', 1750, 78, 34, 30, 8, 30, { legs: 4, arms: 2, lidar: true }],
  [2, 'KTL700', '擎天 Porter P7', 'logistics', 'L4', 1760, 80, 36, 35, 5, 520, { legs: 6, arms: 0, lidar: true }],
  [2, 'KTS300', '擎天 Sentry S3', 'special_purpose', 'L3', 1820, 88, 38, 15, 1, 200, { legs: 4, arms: 0, lidar: true }],
  [2, 'KTX900', '擎天 Titan X', 'general_purpose', 'L4', 1850, 90, 56, 20, 2, 700, { legs: 6, arms: 0, torque: true }],
  [3, 'YB1000', '云步 C1', 'commercial_service', 'L2', 1400, 38, 24, 3, 8, 0, { legs: 2, arms: 0 }],
  [3, 'YB2000', '云步 C2', 'commercial_service', 'L3', 1450, 40, 28, 4, 7, 360, { legs: 2, arms: 2, lidar: true }],
  [3, 'YBE100', '云步 EDU', 'education_research', 'L2', 1300, 30, 26, 2, 4, 60, { legs: 2, arms: 2 }],
  [3, 'YBK100', '云步 Kids', 'entertainment', 'L2', 1100, 25, 22, 1, 3, 120, { legs: 2, arms: 0 }],
  [3, 'YBH200', '云步 Home H2', 'household', 'L3', 1500, 42, 30, 5, 3, 540, { legs: 2, arms: 2, hands: true }],
  [3, 'YBW300', '云步 Walker W3', 'general_purpose', 'L3', 1650, 55, 40, 8, 2, 600, { legs: 4, arms: 2 }],
  [4, 'BK2000', 'Kollege 2', 'industrial', 'L3', 1750, 75, 38, 20, 7, 0, { legs: 4, arms: 2, torque: true }],
  [4, 'BK3000', 'Kollege 3', 'industrial', 'L4', 1760, 77, 44, 22, 5, 500, { legs: 2, arms: 2, hands: true, torque: true }],
  [4, 'BH1000', 'Helfer', 'healthcare', 'L3', 1600, 52, 32, 6, 4, 150, { legs: 2, arms: 2, hands: true }],
  [4, 'BL1000', 'Lagerist', 'logistics', 'L3', 1780, 80, 34, 30, 4, 250, { legs: 4, arms: 2, lidar: true }],
  [4, 'BF1000', 'Forscher', 'education_research', 'L4', 1650, 55, 50, 8, 1, 400, { legs: 2, arms: 4, lidar: true }],
  [5, 'KZ3000', 'Kaze-3', 'general_purpose', 'L3', 1580, 48, 36, 6, 6, 0, { legs: 2, arms: 2, hands: true }],
  [5, 'KZM100', 'Mimamori', 'healthcare', 'L3', 1500, 44, 30, 5, 6, 120, { legs: 2, arms: 2, hands: true }],
  [5, 'KZH200', 'Hataraki', 'industrial', 'L3', 1700, 70, 40, 18, 4, 330, { legs: 4, arms: 2, torque: true }],
  [5, 'KZR100', 'Uketsuke', 'commercial_service', 'L2', 1550, 42, 24, 2, 3, 60, { legs: 2, arms: 0, lidar: true }],
];

const STANDARDS: Record<ModelCategory, string[]> = {
  general_purpose: ['GB/T 38244-2019', 'GB/T 36530-2018'],
  industrial: ['GB 11291.1-2011', 'ISO 10218-1:2011'],
  logistics: ['GB 11291.1-2011', 'GB/T 38244-2019'],
  commercial_service: ['GB/T 36530-2018', 'GB/T 37283-2019'],
  household: ['GB 4706.1-2005', 'GB/T 36530-2018'],
  healthcare: ['ISO 13482:2014', 'GB/T 36530-2018'],
  education_research: ['GB/T 38244-2019'],
  entertainment: ['GB/T 36530-2018', 'GB 4706.1-2005'],
  special_purpose: ['GB/T 38244-2019', 'GB 11291.1-2011'],
};

/** The standard a model is certified against: the first of those it is designed to. */
export const certificationStandard = (m: DemoModel) => m.specs.standards?.[0] ?? 'GB/T 38244-2019';

export const MODELS: readonly DemoModel[] = ROWS.map(
  ([maker, code, name, category, level, heightMm, massKg, dof, payloadKg, popularity, launchDay, build]) => ({
    maker,
    code,
    name,
    category,
    capabilityLevel: level,
    specs: {
      heightMm,
      massKg,
      degreesOfFreedom: dof,
      payloadKg,
      maxSpeedMps: Math.round((1 + (heightMm - 1000) / 600) * 10) / 10,
      batteryWh: Math.round((massKg * 18) / 100) * 100,
      standards: STANDARDS[category],
      description: `${name}: ${category.replace('_', ' ')} humanoid, ${dof} degrees of freedom`,
    },
    popularity,
    launchDay,
    bom: bom(maker, build),
  }),
);

/** Share of all robots each manufacturer (by index) makes. */
export const MAKER_SHARE: readonly number[] = [28, 22, 20, 15, 8, 7];

/** Firmware targets each robot carries, with a new release every `everyDays`. */
const FIRMWARE: readonly { target: string; everyDays: number; major: number }[] = [
  { target: 'main_controller', everyDays: 75, major: 2 },
  { target: 'motion_os', everyDays: 45, major: 3 },
  { target: 'perception', everyDays: 60, major: 1 },
];

/** The firmware versions current for `maker` at `day` (days since the start of the demo period). */
export function firmwareAt(maker: number, day: number): { target: string; version: string }[] {
  return FIRMWARE.map(({ target, everyDays, major }) => {
    // Makers release on their own schedules: shift each one's calendar a little.
    const k = Math.max(0, Math.floor((day + maker * 11) / everyDays));
    return { target, version: `${major + Math.floor(k / 5)}.${k % 5}.${(k * 3 + maker) % 4}` };
  });
}

/** The lot a part made at `day` comes from: one lot per `lotDays`, named by its first day. */
export function lotAt(p: Part, day: number, start: number): string {
  const first = Math.floor(day / p.lotDays) * p.lotDays;
  const date = new Date(start + first * DAY_MS).toISOString();
  return `${p.partNumber}-${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}`;
}
