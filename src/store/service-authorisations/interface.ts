/**
 * Service authorisations (a custodian lets a service provider report on its robot). Records, and this area's part
 * of the store interface (composed in ../store.ts).
 */

export interface ServiceAuthorisation {
  id: string;
  robotId: string;
  /** The service provider. */
  orgId: string;
  grantedBy: string;
  validFrom: string;
  validUntil: string;
  revokedAt: string | null;
}

export interface ServiceAuthorisationReader {
  listServiceAuthorisations(robotId: string): Promise<ServiceAuthorisation[]>;
  /** Whether the organisation holds an unrevoked authorisation for the robot, granted by `grantedBy` (the robot's
   *  custodian: a grant ends with the custody of whoever gave it), that covers the instant `at`. */
  isAuthorisedForService(robotId: string, orgId: string, grantedBy: string, at: string): Promise<boolean>;
}

export interface ServiceAuthorisationWriter {
  insertServiceAuthorisation(authorisation: ServiceAuthorisation): Promise<void>;
  revokeServiceAuthorisation(id: string, at: string): Promise<void>;
}
