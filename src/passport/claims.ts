/** What a robot passport says (docs/passport.md): the claims in the clear and those the holder may withhold. */

/** The claims the holder may disclose one by one, in the order they are listed and issued. */
export const PASSPORT_CLAIMS = [
  'manufacturer',
  'model',
  'productionMonth',
  'state',
  'certification',
  'stopUse',
  'recalls',
] as const;
export type PassportClaimName = (typeof PASSPORT_CLAIMS)[number];

export interface PassportClaims {
  manufacturer: { name: string; enterpriseCode: string; country: string };
  model: { code: string; name: string };
  /** YYYY-MM; null before the robot is manufactured. */
  productionMonth: string | null;
  state: string;
  certification: { status: string; standard: string | null; validUntil: string | null };
  /** An open stop-use order. */
  stopUse: { orderNumber: string; since: string } | null;
  /** Recall campaigns: always empty until the registry records them (issue 7). */
  recalls: unknown[];
}

/** Always in the clear: who says it, when, about which robot, as of which log state, under which jurisdiction. */
export interface PassportStatement {
  /** The registry's public base URL. */
  iss: string;
  /** Seconds since the epoch. */
  iat: number;
  /** The robot's canonical ID. */
  sub: string;
  /** The signed checkpoint note the statement is as of. */
  checkpoint: string;
  /** ISO country of the registry. */
  jurisdiction: string;
}
