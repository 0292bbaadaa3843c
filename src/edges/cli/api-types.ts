/** The response shapes the CLI reads (see src/edges/http/schemas.ts); only the fields it uses. */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Organisation {
  id: string;
  name: string;
  roles: string[];
  jurisdiction: string;
  registrationNumber?: string;
  enterpriseCode: string | null;
  createdAt: string;
}

export interface Me {
  keyId: string;
  organisation: Organisation;
}

export interface ApiKey {
  id: string;
  orgId: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface NewApiKey extends ApiKey {
  token: string;
}

export interface Model {
  enterpriseCode: string;
  code: string;
  manufacturerId: string;
  name: string;
  category: string;
  capabilityLevel: string;
  specs: Record<string, unknown>;
  createdAt: string;
}

export interface IssueResult {
  issuanceId: string;
  enterpriseCode: string;
  modelCode: string;
  count: number;
  ids: string[];
  replayed: boolean;
}

export interface Robot {
  id: string;
  printed: string;
  display: string;
  url: string;
  state: string;
  issuedAt: string;
  manufacturer: { id: string; name: string; country: string; enterpriseCode: string };
  model: { code: string; name: string; category: string; capabilityLevel: string };
  serial: string;
  issuanceId?: string;
}
