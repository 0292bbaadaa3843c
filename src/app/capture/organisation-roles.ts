import type { Tx } from '../../store/store.js';

/** Organisations' roles, each read once per batch: counterparties, and the reporters of a corrected history. */
export class OrganisationRoles {
  private readonly roles = new Map<string, ReadonlySet<string> | null>();

  constructor(private readonly tx: Tx) {}

  /** The organisation's roles; null when no such organisation is registered. */
  async of(orgId: string): Promise<ReadonlySet<string> | null> {
    if (!this.roles.has(orgId)) {
      const org = await this.tx.getOrganisation(orgId);
      this.roles.set(orgId, org ? new Set(org.roles) : null);
    }
    return this.roles.get(orgId)!;
  }
}
