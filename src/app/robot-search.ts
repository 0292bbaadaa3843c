import { invalid, notFound } from '../domain/errors.js';
import { validateEnterpriseCode, validateModelCode } from '../domain/id/index.js';
import type { Page, PageRequest, Reader, RobotFilter, RobotSummary } from '../store/store.js';
import { requireActor } from './access.js';
import type { Actor, AppContext, Caller } from './context.js';

export interface RobotQuery {
  enterpriseCode?: string;
  modelCode?: string;
  state?: string;
  region?: string;
  componentPartNumber?: string;
  componentSerial?: string;
  componentLot?: string;
  /** Also robots that carried the component once (replaced since). */
  includeRemoved?: boolean;
  softwareTarget?: string;
  softwareVersion?: string;
  certification?: 'valid' | 'invalid';
  producedFrom?: string;
  producedTo?: string;
}

/** Regulators see every robot; a manufacturer its own; any other organisation the robots it holds. */
async function scopeFor(
  r: Reader,
  actor: Actor,
): Promise<Pick<RobotFilter, 'scopeIdPrefixes' | 'scopeCustodianId'>> {
  if (actor.roles.has('regulator') || actor.roles.has('admin')) return {};
  if (actor.roles.has('manufacturer')) {
    const org = await r.getOrganisation(actor.orgId);
    return { scopeIdPrefixes: org?.enterpriseCode ? [`${org.jurisdiction}${org.enterpriseCode}`] : [] };
  }
  return { scopeCustodianId: actor.orgId };
}

async function idPrefixFor(r: Reader, q: RobotQuery): Promise<string | undefined> {
  if (q.modelCode !== undefined && q.enterpriseCode === undefined) {
    throw invalid('enterprise-required', 'a model code is only unique within an enterprise', [
      { field: 'query:/enterpriseCode', message: 'required with modelCode' },
    ]);
  }
  if (q.enterpriseCode === undefined) return undefined;
  const enterprise = validateEnterpriseCode(q.enterpriseCode, 'query:/enterpriseCode');
  const org = await r.findOrganisationByEnterpriseCode(enterprise);
  if (!org) throw notFound('manufacturer-not-found', `no manufacturer with enterprise code ${enterprise}`);
  const model = q.modelCode === undefined ? '' : validateModelCode(q.modelCode, 'query:/modelCode');
  return `${org.jurisdiction}${enterprise}${model}`;
}

/** Robots matching every given criterion, in ID order, as far as the caller may see them. */
export async function findRobots(
  ctx: AppContext,
  caller: Caller,
  q: RobotQuery,
  page: PageRequest<string>,
): Promise<Page<RobotSummary, string>> {
  const actor = requireActor(caller);
  const component =
    q.componentLot !== undefined || q.componentSerial !== undefined || q.componentPartNumber !== undefined
      ? {
          partNumber: q.componentPartNumber,
          serial: q.componentSerial,
          lot: q.componentLot,
          includeRemoved: q.includeRemoved,
        }
      : undefined;
  if (q.softwareTarget !== undefined && q.softwareVersion === undefined) {
    throw invalid('version-required', 'give the software version to look for', [
      { field: 'query:/softwareVersion', message: 'required with softwareTarget' },
    ]);
  }
  return ctx.store.read(async (r) => {
    const filter: RobotFilter = {
      ...(await scopeFor(r, actor)),
      idPrefix: await idPrefixFor(r, q),
      state: q.state,
      region: q.region,
      component,
      software:
        q.softwareVersion === undefined
          ? undefined
          : { target: q.softwareTarget, version: q.softwareVersion },
      certified: q.certification
        ? { valid: q.certification === 'valid', at: ctx.now().toISOString() }
        : undefined,
      producedFrom: q.producedFrom,
      producedTo: q.producedTo,
    };
    return r.findRobots(filter, page);
  });
}
