// The lifecycle states and certification filters, as values the console can list: typed against the generated
// client, so that a state the registry adds and the console does not list fails the type check.
import type { paths } from './api/schema';

type Query = NonNullable<paths['/v1/robots']['get']['parameters']['query']>;
export type RobotState = NonNullable<Query['state']>;
export type CertificationFilter = NonNullable<Query['certification']>;

export const ROBOT_STATES = [
  'issued',
  'manufactured',
  'certified',
  'in_distribution',
  'sold',
  'in_use',
  'lost',
  'stolen',
  'exported',
  'decommissioned',
  'recycled',
] as const satisfies readonly RobotState[];

/** Fails to compile while a state is missing from the list above. */
const everyState: Exclude<RobotState, (typeof ROBOT_STATES)[number]> extends never ? true : false = true;
void everyState;

export const CERTIFICATION_FILTERS = ['valid', 'invalid'] as const satisfies readonly CertificationFilter[];
