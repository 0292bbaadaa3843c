import { invalid, notFound } from '../domain/errors.js';
import { parseRobotId } from '../domain/id/index.js';
import type { ServiceAuthorisation } from '../store/store.js';
import { requireActor } from './access.js';
import { audited } from './audit.js';
import { isoNow, randomId, type AppContext, type Caller } from './context.js';
import { noteRead } from './policy/reads.js';
import { requirePurpose } from './policy/relation.js';

const MAX_YEARS = 5;
/** Who may work on a robot for its holder, and so see its technical data (docs/access.md). */
const GRANTEES = ['service_provider', 'recycler'] as const;

export interface GrantRequest {
  serviceProviderId: string;
  validFrom?: string;
  validUntil: string;
}

/**
 * The robot's custodian lets a service provider (or a recycler preparing to take it) work on it for a period: report
 * service and incidents, and see its technical data. The grant stops working at its end or when revoked, at once.
 */
export async function authoriseService(
  ctx: AppContext,
  caller: Caller,
  robotInput: string,
  req: GrantRequest,
) {
  return audited(
    ctx,
    caller,
    'service-authorisation.grant',
    async (tx) => {
      const actor = requireActor(caller);
      const robotId = parseRobotId(robotInput, 'robotId').canonical;
      const status = await tx.getRobotStatus(robotId);
      if (!status || status.custodianId !== actor.orgId)
        throw notFound('robot-not-found', `no robot ${robotId} that you hold`);
      const provider = await tx.getOrganisation(req.serviceProviderId);
      if (!provider || !GRANTEES.some((role) => provider.roles.includes(role))) {
        throw invalid(
          'not-a-service-provider',
          `${req.serviceProviderId} is not a registered service provider or recycler`,
          [
            {
              field: '/serviceProviderId',
              message: 'must be an organisation with the service_provider or recycler role',
            },
          ],
        );
      }
      const validFrom = req.validFrom ?? isoNow(ctx);
      const until = Date.parse(req.validUntil);
      if (!(until > Date.parse(validFrom)) || until - Date.parse(validFrom) > MAX_YEARS * 366 * 86_400_000) {
        throw invalid(
          'invalid-period',
          `validUntil must be after validFrom and at most ${MAX_YEARS} years later`,
          [{ field: '/validUntil', message: `after validFrom, within ${MAX_YEARS} years` }],
        );
      }
      const grant: ServiceAuthorisation = {
        id: randomId('sa_'),
        robotId,
        orgId: provider.id,
        grantedBy: actor.orgId,
        validFrom: new Date(validFrom).toISOString(),
        validUntil: new Date(until).toISOString(),
        revokedAt: null,
      };
      await tx.insertServiceAuthorisation(grant);
      return grant;
    },
    (g) => g.id,
    robotInput,
  );
}

/**
 * A robot's grants: all of them for its custodian and regulators (who state why), a grantee's own otherwise.
 * Who the custodian lets work on its robot is custody data: every read and refused attempt is in the read audit.
 */
export async function listServiceAuthorisations(ctx: AppContext, caller: Caller, robotInput: string) {
  const actor = requireActor(caller);
  const robotId = parseRobotId(robotInput, 'robotId').canonical;
  const note = (outcome: 'granted' | 'denied') =>
    noteRead(ctx, caller, { robotId, classes: ['custody'], outcome });
  const found = await ctx.store
    .read(async (r) => {
      const status = await r.getRobotStatus(robotId);
      const grants = await r.listServiceAuthorisations(robotId);
      const holds = status?.custodianId === actor.orgId;
      if (holds) return { holds, grants };
      if (actor.roles.has('regulator') && status) {
        requirePurpose(caller, 'regulator');
        return { holds, grants };
      }
      return { holds, grants: grants.filter((g) => g.orgId === actor.orgId) };
    })
    .catch((error: unknown) => {
      note('denied');
      throw error;
    });
  if (found.grants.length === 0 && !found.holds) {
    note('denied');
    throw notFound('robot-not-found', `no robot ${robotId} that you hold`);
  }
  note('granted');
  return found.grants;
}

export async function revokeServiceAuthorisation(
  ctx: AppContext,
  caller: Caller,
  robotInput: string,
  id: string,
) {
  return audited(
    ctx,
    caller,
    'service-authorisation.revoke',
    async (tx) => {
      const actor = requireActor(caller);
      const robotId = parseRobotId(robotInput, 'robotId').canonical;
      const grant = (await tx.listServiceAuthorisations(robotId)).find((g) => g.id === id);
      if (!grant || grant.grantedBy !== actor.orgId)
        throw notFound('authorisation-not-found', `no authorisation ${id}`);
      await tx.revokeServiceAuthorisation(id, isoNow(ctx));
      return { ...grant, revokedAt: grant.revokedAt ?? isoNow(ctx) };
    },
    (g) => g.id,
    id,
  );
}
