import { creditCodeCheckCharacter } from '../../src/domain/org/credit-code.js';
import type { Api } from './harness.js';

let counter = 0;

/** A fresh, valid unified social credit code (made-up company, correct check character). */
export function creditCode(): string {
  counter += 1;
  const first17 = `91110000MA${String(counter).padStart(7, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
}

/** Admits an organisation with the given roles and gives it an API key. */
export async function admit(h: Api, roles: string[], name = `Org ${counter}`) {
  const org = await h.call('POST', '/v1/organisations', {
    key: h.adminKey,
    body: { name, roles, jurisdiction: 'CN', registrationNumber: creditCode() },
  });
  if (org.status !== 201) throw new Error(`admit failed: ${JSON.stringify(org.body)}`);
  const key = await h.call('POST', `/v1/organisations/${org.body.id}/keys`, {
    key: h.adminKey,
    body: { name: 'test' },
  });
  if (key.status !== 201) throw new Error(`key failed: ${JSON.stringify(key.body)}`);
  return { org: org.body, key: key.body.token as string, keyId: key.body.id as string };
}

export const MODEL = {
  code: 'H1X9B4',
  name: 'Walker H1',
  category: 'general_purpose',
  capabilityLevel: 'L3',
} as const;

/** A manufacturer with one registered model. */
export async function manufacturerWithModel(h: Api, model: Record<string, unknown> = MODEL) {
  const m = await admit(h, ['manufacturer']);
  const created = await h.call('POST', '/v1/models', { key: m.key, body: model });
  if (created.status !== 201) throw new Error(`model failed: ${JSON.stringify(created.body)}`);
  return { ...m, model: created.body };
}

/** What a regulator states when it reads others' data (RobotID-Purpose); harmless for other callers. */
export const PURPOSE = { 'robotid-purpose': 'market_surveillance' };
