/** The parts an organisation plays in a robot's life. One organisation may hold several. */
export const ROLES = [
  'manufacturer',
  'seller',
  'service_provider',
  'operator',
  'recycler',
  'certifier',
  'regulator',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
