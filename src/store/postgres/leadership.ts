/**
 * Leader election through the database: the leader of a role is the process whose session holds a session-level
 * advisory lock. The lock lives exactly as long as the session, so a leader that dies (or loses its connection)
 * lets go without anyone having to notice, and another process wins it at its next try.
 */
import pg from 'pg';
import { schemaLockKey } from './connection.js';

const LEASE_QUERY_TIMEOUT_MS = 10_000;

/** One role's lease, on a connection of its own (a pooled one would hand the lock to whoever borrows it next). */
export class SessionLease {
  private client: pg.Client | null = null;
  private held = false;
  private closed = false;

  /** `name` keys the lock together with the schema in use: registries in other schemas elect their own leaders. */
  constructor(
    private readonly config: pg.ClientConfig,
    private readonly name: string,
  ) {}

  /** True while this process holds the lease: taken if free, checked (one round trip) if held already. */
  async holds(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const client = await this.connected();
      if (this.held) {
        // A session the server ended shows up here; the lock went with it.
        await client.query('SELECT 1');
        return true;
      }
      const result = await client.query<{ held: boolean }>(
        `SELECT pg_try_advisory_lock(${schemaLockKey}) AS held`,
        [`robotid-leader:${this.name}`],
      );
      this.held = result.rows[0]?.held === true;
      return this.held;
    } catch (error) {
      this.drop();
      throw error;
    }
  }

  /** Lets go of the lease (ends the session, which releases the lock at once). */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    this.held = false;
    await client?.end().catch(() => undefined);
  }

  private async connected(): Promise<pg.Client> {
    if (this.client) return this.client;
    // Bounded waits: a leader stuck on a dead network would neither sign nor let go, as far as it knows.
    const client = new pg.Client({ ...this.config, query_timeout: LEASE_QUERY_TIMEOUT_MS, keepAlive: true });
    // A dropped session is not thrown at anyone: the next `holds` finds the client gone and competes again.
    client.on('error', () => {
      if (this.client === client) this.drop();
    });
    client.on('end', () => {
      if (this.client === client) this.drop();
    });
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      this.drop();
      throw error;
    }
    return client;
  }

  private drop() {
    const client = this.client;
    this.client = null;
    this.held = false;
    client?.end().catch(() => undefined);
  }
}
