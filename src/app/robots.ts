import { notFound } from '../domain/errors.js';
import { parseRobotId, type RobotId } from '../domain/id/index.js';
import { actsFor } from './access.js';
import type { AppContext, Caller } from './context.js';

export interface RobotView {
  id: string;
  printed: string;
  display: string;
  url: string;
  state: 'issued';
  issuedAt: string;
  manufacturer: { id: string; name: string; country: string; enterpriseCode: string };
  model: { code: string; name: string; category: string; capabilityLevel: string };
  serial: string;
  /** Only for the manufacturer and the administrator. */
  issuanceId?: string;
}

export const robotUrl = (ctx: AppContext, id: RobotId) => `${ctx.publicBaseUrl}/r/${id.printed}`;

/** Any of the three forms of an ID; what the public may see, plus the issuance for its manufacturer. */
export async function getRobot(ctx: AppContext, caller: Caller, input: string): Promise<RobotView> {
  const id = parseRobotId(input, 'robotId');
  const found = await ctx.store.read(async (r) => {
    const robot = await r.getRobot(id.canonical);
    if (!robot) return null;
    const [org, model] = await Promise.all([
      r.getOrganisation(robot.manufacturerId),
      r.getModel(id.enterprise, id.model),
    ]);
    return org && model ? { robot, org, model } : null;
  });
  if (!found) throw notFound('robot-not-found', `no robot ${id.display} has been issued`);
  const { robot, org, model } = found;
  return {
    id: id.canonical,
    printed: id.printed,
    display: id.display,
    url: robotUrl(ctx, id),
    state: 'issued',
    issuedAt: robot.issuedAt,
    manufacturer: { id: org.id, name: org.name, country: org.jurisdiction, enterpriseCode: id.enterprise },
    model: {
      code: model.code,
      name: model.name,
      category: model.category,
      capabilityLevel: model.capabilityLevel,
    },
    serial: id.serial,
    ...(actsFor(caller, org.id) ? { issuanceId: robot.issuanceId } : {}),
  };
}
