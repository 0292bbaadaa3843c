import type { RobotStatus } from '../../domain/lifecycle/status.js';
import type { RobotFacts } from '../../domain/safety/recalls.js';

export const factsOf = (robotId: string, status: RobotStatus): RobotFacts => ({
  robotId,
  state: status.state,
  productionDate: status.productionDate,
  components: status.components,
  software: status.software,
});

/** Whom a robot's safety notices concern: its maker, holder and operator. */
export const robotAudience = (status: RobotStatus): string[] =>
  [status.manufacturerId, status.custodianId, status.operatorId].filter((o): o is string => o !== null);
