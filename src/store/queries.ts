/**
 * Every area's queries, written once for both databases, composed into the store interface's methods. An adapter
 * binds them to its connection, after replacing the few whose SQL must differ (its own queries.ts).
 */
import type { Reader } from './store.js';
import type { Writer } from './bind.js';
import type { QueriesOf } from './sql/queries.js';
import * as organisations from './organisations/queries.js';
import * as apiKeys from './api-keys/queries.js';
import * as models from './models/queries.js';
import * as robots from './robots/queries.js';
import * as events from './events/queries.js';
import * as search from './search/queries.js';
import * as serviceAuthorisations from './service-authorisations/queries.js';
import * as log from './log/queries.js';
import * as personalData from './personal-data/queries.js';
import * as audit from './audit/queries.js';
import * as readAudit from './read-audit/queries.js';
import * as notices from './notices/queries.js';
import * as webhooks from './webhooks/queries.js';
import * as recalls from './recalls/queries.js';
import * as compliance from './compliance/queries.js';
import * as incidents from './incidents/queries.js';
import * as people from './people/queries.js';
import * as passkeys from './passkeys/queries.js';
import * as todo from './todo/queries.js';
import * as robotGs1Keys from './robot-gs1-keys/queries.js';
import * as epcisCaptures from './epcis-captures/queries.js';
import * as epcisQueries from './epcis-queries/queries.js';

export const reads: QueriesOf<Reader> = {
  ...organisations.reads,
  ...apiKeys.reads,
  ...models.reads,
  ...robots.reads,
  ...events.reads,
  ...search.reads,
  ...serviceAuthorisations.reads,
  ...log.reads,
  ...personalData.reads,
  ...audit.reads,
  ...readAudit.reads,
  ...notices.reads,
  ...webhooks.reads,
  ...recalls.reads,
  ...compliance.reads,
  ...incidents.reads,
  ...people.reads,
  ...passkeys.reads,
  ...todo.reads,
  ...robotGs1Keys.reads,
  ...epcisCaptures.reads,
  ...epcisQueries.reads,
};

/** Two writes have no version written once: each adapter supplies its own (the files say why). */
type OwnPerDialect = 'recordComponentChanges' | 'checkCompliance';

export const writes: Omit<QueriesOf<Writer>, OwnPerDialect> = {
  ...organisations.writes,
  ...apiKeys.writes,
  ...models.writes,
  ...robots.writes,
  ...events.writes,
  ...search.writes,
  ...serviceAuthorisations.writes,
  ...log.writes,
  ...personalData.writes,
  ...audit.writes,
  ...readAudit.writes,
  ...notices.writes,
  ...webhooks.writes,
  ...recalls.writes,
  ...compliance.writes,
  ...incidents.writes,
  ...people.writes,
  ...passkeys.writes,
  ...robotGs1Keys.writes,
  ...epcisCaptures.writes,
  ...epcisQueries.writes,
};
