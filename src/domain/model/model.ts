import { invalid } from '../errors.js';

export const MODEL_CATEGORIES = [
  'general_purpose',
  'industrial',
  'logistics',
  'commercial_service',
  'household',
  'healthcare',
  'education_research',
  'entertainment',
  'special_purpose',
] as const;
export type ModelCategory = (typeof MODEL_CATEGORIES)[number];

/**
 * Autonomy / capability level, L1 (remote-operated, scripted) to L5 (fully autonomous in open environments),
 * as the industry's humanoid grading drafts use it.
 */
export const CAPABILITY_LEVELS = ['L1', 'L2', 'L3', 'L4', 'L5'] as const;
export type CapabilityLevel = (typeof CAPABILITY_LEVELS)[number];

export interface RobotModel {
  enterpriseCode: string;
  code: string;
  manufacturerId: string;
  name: string;
  category: ModelCategory;
  capabilityLevel: CapabilityLevel;
  /** Physical and design data a model record carries; all optional except where the schema says. */
  specs: ModelSpecs;
  createdAt: string;
}

export interface ModelSpecs {
  heightMm?: number;
  massKg?: number;
  degreesOfFreedom?: number;
  payloadKg?: number;
  maxSpeedMps?: number;
  batteryWh?: number;
  /** Standards the model is designed to, e.g. "GB/T 12643", "ISO 10218-1". */
  standards?: string[];
  description?: string;
}

export function assertModelName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0)
    throw invalid('invalid-model', 'model name is empty', [{ field: '/name', message: 'must not be blank' }]);
  return trimmed;
}
