/**
 * API keys. Records, and this area's part of the store interface (composed in ../store.ts).
 */

export interface ApiKeyRecord {
  id: string;
  orgId: string;
  name: string;
  secretHash: Buffer;
  createdAt: string;
  createdByKey: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface ApiKeyReader {
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  listApiKeys(orgId: string): Promise<ApiKeyRecord[]>;
  hasAdminKey(): Promise<boolean>;
}

export interface ApiKeyWriter {
  insertApiKey(key: ApiKeyRecord): Promise<void>;
  revokeApiKey(id: string, at: string): Promise<void>;
  /**
   * The key, read so that a revocation cannot commit between this read and the end of the unit of work (it waits
   * for it): a write checked against a live key is never committed after that key's revocation.
   */
  holdApiKey(id: string): Promise<ApiKeyRecord | null>;
  touchApiKey(id: string, at: string): Promise<void>;
}
