import { conflict, invalid, notFound } from '../domain/errors.js';
import { validateEnterpriseCode, validateModelCode } from '../domain/id/index.js';
import {
  assertModelName,
  type CapabilityLevel,
  type ModelCategory,
  type ModelSpecs,
  type RobotModel,
} from '../domain/model/model.js';
import type { Organisation } from '../domain/org/organisation.js';
import type { Page, PageRequest, Reader } from '../store/store.js';
import { requireRole } from './access.js';
import { audited } from './audit.js';
import { isoNow, type Actor, type AppContext, type Caller } from './context.js';

export interface NewModel extends ModelSpecs {
  code: string;
  name: string;
  category: ModelCategory;
  capabilityLevel: CapabilityLevel;
  /** Only the platform administrator names the manufacturer; a manufacturer registers its own models. */
  manufacturerId?: string;
}

/**
 * The manufacturer a write acts for: the caller itself, or (for the administrator) the one it names.
 * A manufacturer naming another is told it does not exist, as for any denied read.
 */
export async function manufacturerFor(
  r: Reader,
  actor: Actor,
  named: string | undefined,
): Promise<Organisation> {
  const id = actor.roles.has('admin') ? named : (named ?? actor.orgId);
  if (!id) {
    throw invalid('manufacturer-required', 'the administrator must say which manufacturer this is for', [
      { field: '/manufacturerId', message: 'required when acting as the administrator' },
    ]);
  }
  const org = id === actor.orgId || actor.roles.has('admin') ? await r.getOrganisation(id) : null;
  if (!org || !org.enterpriseCode || !org.roles.includes('manufacturer')) {
    throw notFound('manufacturer-not-found', `no manufacturer ${id}`);
  }
  return org;
}

export async function registerModel(ctx: AppContext, caller: Caller, input: NewModel): Promise<RobotModel> {
  const { code: rawCode, name: rawName, category, capabilityLevel, manufacturerId, ...specs } = input;
  return audited(
    ctx,
    caller,
    'model.register',
    async (tx) => {
      const actor = requireRole(caller, 'manufacturer', 'admin');
      const code = validateModelCode(rawCode, '/code');
      const name = assertModelName(rawName);
      const manufacturer = await manufacturerFor(tx, actor, manufacturerId);
      const enterpriseCode = manufacturer.enterpriseCode!;
      if (await tx.getModel(enterpriseCode, code)) {
        throw conflict(
          'model-code-taken',
          `model code ${code} is registered already for enterprise ${enterpriseCode}`,
          [{ field: '/code', message: 'already registered' }],
        );
      }
      const model: RobotModel = {
        enterpriseCode,
        code,
        manufacturerId: manufacturer.id,
        name,
        category,
        capabilityLevel,
        specs,
        createdAt: isoNow(ctx),
      };
      await tx.insertModel(model);
      return model;
    },
    (m) => `${m.enterpriseCode}/${m.code}`,
    rawCode,
  );
}

/** Models are public: their names appear on every robot's public page. */
export async function getModel(ctx: AppContext, enterpriseCode: string, code: string): Promise<RobotModel> {
  const e = validateEnterpriseCode(enterpriseCode, 'enterpriseCode');
  const m = validateModelCode(code, 'modelCode');
  const model = await ctx.store.read((r) => r.getModel(e, m));
  if (!model) throw notFound('model-not-found', `no model ${m} for enterprise ${e}`);
  return model;
}

export async function listModels(
  ctx: AppContext,
  enterpriseCode: string | undefined,
  page: PageRequest,
): Promise<Page<RobotModel>> {
  const e = enterpriseCode === undefined ? null : validateEnterpriseCode(enterpriseCode, 'enterpriseCode');
  return ctx.store.read((r) => r.listModels(e, page));
}
