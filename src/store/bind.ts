/**
 * The adapters' query functions bound to a connection as the store interface's methods. Each adapter has the same
 * file set with one function per Reader / Tx method, of the same name, taking the connection first (SQLite's
 * answering at once, PostgreSQL's with a promise): so the wiring is written once, here, and the compiler checks
 * each adapter's functions against the interface (`Queries`).
 */
import type { Reader, Tx } from './store.js';

/** A unit of work's methods that are plain queries (savepoint is each adapter's own). */
export type Writer = Omit<Tx, keyof Reader | 'savepoint'>;

/** Interface `M` as functions taking the connection `C` first. */
type WithConnection<C, M> = {
  [K in keyof M]: M[K] extends (...args: infer A) => Promise<infer R>
    ? (c: C, ...args: A) => R | Promise<R>
    : never;
};

/** What an adapter provides: a function for every method of Reader and Writer. */
export type Queries<C> = WithConnection<C, Reader & Writer>;

// Every method's name, once; a Record so that the compiler refuses a missing or unknown one.
const READER: Record<keyof Reader, true> = {
  getOrganisation: true,
  findOrganisationByRegistration: true,
  findOrganisationByEnterpriseCode: true,
  listOrganisations: true,
  hasAdminKey: true,
  getApiKey: true,
  listApiKeys: true,
  getModel: true,
  listModels: true,
  getRobot: true,
  existingRobotIds: true,
  findIssuanceByRequest: true,
  listIssuedIds: true,
  getRobotStatus: true,
  getRobots: true,
  getRobotStatuses: true,
  findFittedComponent: true,
  findFittedComponents: true,
  findRobots: true,
  findEvent: true,
  listEvents: true,
  listLateEvents: true,
  listServiceAuthorisations: true,
  isAuthorisedForService: true,
  getPersonalData: true,
  getPersonalDataErasure: true,
  listKeysWrappedOtherThan: true,
  countWrappedKeysByVersion: true,
  countAudit: true,
  listReadAudit: true,
  listNoticesAfter: true,
  getNotices: true,
  noticeWatermark: true,
  getSubscription: true,
  listSubscriptions: true,
  getDelivery: true,
  listDeliveries: true,
  listDeliveryAttempts: true,
  getRecall: true,
  listRecalls: true,
  listOpenRecalls: true,
  findRecallCandidates: true,
  listRecallEntries: true,
  listRecallRobots: true,
  recallProgress: true,
  recallCounts: true,
  listComplianceFindings: true,
  countComplianceFindings: true,
  getIncident: true,
  findIncidents: true,
  incidentTrends: true,
  logSize: true,
  readLogTiles: true,
  listEventsBySeq: true,
  latestCheckpoint: true,
  getCheckpoint: true,
  listCheckpoints: true,
  listCosignatures: true,
};

const WRITER: Record<keyof Writer, true> = {
  nextCounter: true,
  insertOrganisation: true,
  insertApiKey: true,
  revokeApiKey: true,
  holdApiKey: true,
  touchApiKey: true,
  insertModel: true,
  reserveSerials: true,
  insertIssuance: true,
  insertRobots: true,
  insertAudit: true,
  insertReadAudit: true,
  insertNotices: true,
  putNoticeWatermark: true,
  insertSubscription: true,
  deleteSubscription: true,
  insertDeliveries: true,
  claimDueDeliveries: true,
  updateDelivery: true,
  insertDeliveryAttempt: true,
  endPendingDeliveries: true,
  insertRecall: true,
  updateRecall: true,
  addRecallCandidates: true,
  addRecallRobots: true,
  putRecallStates: true,
  setRecallStopUse: true,
  checkCompliance: true,
  insertIncidents: true,
  withdrawIncidents: true,
  triageIncident: true,
  insertEvents: true,
  putRobotStatuses: true,
  recordComponentChanges: true,
  insertServiceAuthorisation: true,
  revokeServiceAuthorisation: true,
  putSoftware: true,
  putPersonalData: true,
  rewrapPersonalDataKey: true,
  deletePersonalData: true,
  insertPersonalDataErasure: true,
  insertCheckpoint: true,
  putCosignature: true,
};

type Query<C> = (c: C, ...args: unknown[]) => unknown;

function bind<C, M>(c: C, queries: Queries<C>, names: Record<string, true>): M {
  const table = queries as unknown as Record<string, Query<C>>;
  const methods = Object.keys(names).map((name) => {
    const query = table[name];
    if (typeof query !== 'function') throw new Error(`the store has no query for ${name}`);
    return [name, async (...args: unknown[]) => query(c, ...args)];
  });
  return Object.fromEntries(methods) as M;
}

export const bindReader = <C>(c: C, queries: Queries<C>): Reader => bind(c, queries, READER);

/** Reader and Writer methods on the connection of an open transaction. */
export const bindWriter = <C>(c: C, queries: Queries<C>): Reader & Writer =>
  bind(c, queries, { ...READER, ...WRITER });
