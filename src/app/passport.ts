/** A robot's passport (docs/passport.md): its public facts, signed with the log key, as of a signed checkpoint. */
import { issuePassport, type PassportClaims } from '../passport/passport.js';
import type { AppContext } from './context.js';
import { checkpointCovering, checkpointNote } from './log/checkpoints.js';
import { getPublicRobot, type RobotView } from './robots.js';

/** Only the public view's facts: a passport may cross borders, so nothing about owners, operators or sites. */
function passportClaims(robot: RobotView): PassportClaims {
  const { status, standard = null, validUntil = null } = robot.certification;
  return {
    manufacturer: {
      name: robot.manufacturer.name,
      enterpriseCode: robot.manufacturer.enterpriseCode,
      country: robot.manufacturer.country,
    },
    model: { code: robot.model.code, name: robot.model.name },
    productionMonth: robot.productionMonth,
    state: robot.state,
    certification: { status, standard, validUntil },
    stopUse: robot.stopUse,
    recalls: robot.recalls.map((r) => ({
      recall: r.recall,
      status: r.status,
      summary: r.summary,
      state: r.state,
    })),
  };
}

/** The note of a checkpoint covering the robot's last event; read after the robot's view, so it covers that. */
async function checkpointFor(ctx: AppContext, robotId: string): Promise<string> {
  const events = await ctx.store.read((r) => r.listEvents(robotId));
  const checkpoint = await checkpointCovering(ctx, events.at(-1)?.seq ?? 0);
  return (await checkpointNote(ctx, checkpoint.size)) ?? checkpoint.note;
}

/** Public, like the robot's page: the issuer's SD-JWT with every disclosure; the holder picks which to show. */
export async function robotPassport(
  ctx: AppContext,
  input: string,
): Promise<{ robotId: string; sdJwt: string }> {
  const robot = await getPublicRobot(ctx, input);
  const checkpoint = await checkpointFor(ctx, robot.id);
  const statement = {
    iss: ctx.publicBaseUrl,
    iat: Math.floor(ctx.now().getTime() / 1000),
    sub: robot.id,
    checkpoint,
    jurisdiction: ctx.operatorCountry,
  };
  return { robotId: robot.id, sdJwt: await issuePassport(statement, passportClaims(robot), ctx.log.signer) };
}
