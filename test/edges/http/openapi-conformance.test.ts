/**
 * openapi.json tells the truth, operation by operation, so that a client generated from it can be trusted: every
 * operation the document lists is called over HTTP on a running registry with inputs that succeed and inputs that
 * fail, and each answer's status must be declared for that operation, its media type one declared for that
 * status, and a JSON body must match its declared schema (test/fuzz/check.ts). The operations come from the
 * document; the inputs from EXAMPLES, by operationId, so an operation added without examples fails here. Every
 * operation is also called with a refused key (401), and one that declares no anonymous security without a key
 * (401); one that does declare it is called without a key by its first example.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { announce } from '../../../src/app/notifications/announce.js';
import { deliverDue } from '../../../src/app/notifications/deliver.js';
import { dispatchNotices } from '../../../src/app/notifications/dispatch.js';
import { startRecallWork } from '../../../src/app/recalls/work.js';
import {
  cosign,
  generateWitnessKey,
  parseWitnessSignerKey,
  parseWitnessVerifierKey,
} from '../../../src/log/cosignature.js';
import { openNote, parseVerifierKey } from '../../../src/log/note.js';
import { SoftwareAuthenticator } from '../../support/authenticator.js';
import { PURPOSE, creditCode } from '../../support/fixtures.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { event, intoUse, report, supplyChain, type SupplyChain } from '../../support/lifecycle.js';
import { rawRequest } from '../../support/raw-http.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';
import { violations } from '../../fuzz/check.js';
import { loadSpec, type Operation, type Spec } from '../../fuzz/spec.js';

/** One request to an operation and the status it must get. */
interface Call {
  expect: number;
  key?: string | undefined;
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

type Fixtures = Awaited<ReturnType<typeof buildFixtures>>;
type Examples = (f: Fixtures) => Call[] | Promise<Call[]>;

const NO_ROBOT = 'CN0001H1X9B4R0000000000999999';
const REFUSED_KEY = 'rid_nonsense';
/** An EPCIS document whose one event names no robot of the registry: captured as a job that rejects it. */
const EPCIS_DOCUMENT = {
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-07-22T10:30:00Z',
  epcisBody: {
    eventList: [
      {
        type: 'ObjectEvent',
        eventTime: '2026-07-22T06:45:00+02:00',
        eventTimeZoneOffset: '+02:00',
        action: 'OBSERVE',
        epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
        bizStep: 'shipping',
      },
    ],
  },
};
const html = { accept: 'text/html' };

const campaign = (criteria: Record<string, unknown>) => ({
  component: 'Knee joint actuator HJ-40',
  summary: 'The actuator brake may fail to hold under load.',
  consequence: 'The robot may fall.',
  remedy: { description: 'Replace the knee actuator.', overTheAir: false },
  stopUse: false,
  criteria,
});

async function buildFixtures(h: Harness, hook: WebhookReceiver) {
  const c: SupplyChain = await supplyChain(h, 1);
  const robot = c.robots[0]!;
  await intoUse(h, c, robot);
  await report(h, c.operator.key, [
    event('incident_reported', robot, { category: 'fall', severity: 'serious', description: 'fell over' }),
  ]);
  const incidents = await h.call('GET', '/v1/incidents', { key: c.regulator.key, headers: PURPOSE });
  const history = await h.call('GET', `/v1/robots/${robot}/events`, { key: c.maker.key });
  const must = async (method: string, url: string, key: string, body?: unknown) => {
    const res = await h.call(method, url, { key, body });
    assert.ok(res.status < 300, `${method} ${url}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const recall = async () => {
    const opened = await must(
      'POST',
      '/v1/recalls',
      c.regulator.key,
      campaign({ components: [{ partNumber: 'HJ-40', lots: ['LOT-2026-01'] }] }),
    );
    await startRecallWork(h.ctx, opened.number);
    return opened.number as string;
  };
  const subscription = async () =>
    (await must('POST', '/v1/subscriptions', c.operator.key, { url: hook.url, topics: ['robot.suspended'] }))
      .id as string;
  const subscriptionId = await subscription();
  // A notice for the operator, delivered to its webhook: a delivery that can be sent again.
  await h.ctx.store.write((tx) =>
    announce(tx, new Date().toISOString(), [
      { topic: 'robot.suspended', audience: [c.operator.org.id], robotId: robot, data: { reason: 'test' } },
    ]),
  );
  await dispatchNotices(h.ctx);
  await deliverDue(h.ctx);
  const deliveries = await must('GET', `/v1/subscriptions/${subscriptionId}/deliveries`, c.operator.key);
  // People of the manufacturer: invitations, users, sign-ins (a TOTP code is computed as an app would).
  let people = 0;
  const invitation = async () =>
    (await must('POST', `/v1/organisations/${c.maker.org.id}/invitations`, c.maker.key, {
      email: `person-${++people}@example.cn`,
      role: 'viewer',
    })) as { invitation: { id: string; email: string }; link: string };
  const tokenOf = (link: string) => link.split('/').pop()!;
  const user = async () => {
    const invited = await invitation();
    const accepted = await must('POST', `/v1/invitations/${tokenOf(invited.link)}/accept`, '', {
      name: 'Zhang Min',
      password: PERSON_PASSWORD,
    });
    return {
      id: accepted.user.id as string,
      email: invited.invitation.email,
      secret: accepted.totp.secret as string,
    };
  };
  const signInBody = (u: { email: string; secret: string }) => ({
    email: u.email,
    password: PERSON_PASSWORD,
    totp: TOTP.generate({ secret: Secret.fromBase32(u.secret), timestamp: Date.now() }),
  });
  return {
    h,
    c,
    robot,
    incidentId: String(incidents.body.items[0].id),
    eventId: String(history.body.events[0].eventId),
    recallNumber: await recall(),
    recall,
    subscriptionId,
    subscription,
    deliveryId: String(deliveries.items[0].id),
    person: async () =>
      (await must('POST', '/v1/persons', c.seller.key, { name: 'Li Wei', email: 'li.wei@mail.test' }))
        .id as string,
    apiKey: async () =>
      (await must('POST', `/v1/organisations/${c.maker.org.id}/keys`, c.maker.key, { name: 'spare' }))
        .id as string,
    authorisation: async () =>
      (
        await must('POST', `/v1/robots/${robot}/service-authorisations`, c.operator.key, {
          serviceProviderId: c.serviceCo.org.id,
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        })
      ).id as string,
    cosigned: await cosignedCheckpoint(h),
    invitation,
    invitationToken: async () => tokenOf((await invitation()).link),
    user,
    signInBody,
    /** A session cookie of a new user. */
    session,
    /** A new user with a passkey of a software authenticator, signed in: its cookie, authenticator and passkey. */
    passkeyed: async () => {
      const cookie = await session();
      const headers = { cookie, origin: ORIGIN };
      const authenticator = new SoftwareAuthenticator(ORIGIN);
      const options = await h.call('POST', '/v1/me/passkeys/options', { headers });
      const added = await h.call('POST', '/v1/me/passkeys', {
        headers,
        body: { name: 'laptop', response: authenticator.create(options.body) },
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      return { headers, authenticator, passkeyId: added.body.passkey.id as string };
    },
    /** A fresh registration answer (shaped right; its challenge is no session's). */
    registrationShape: () =>
      new SoftwareAuthenticator(ORIGIN).create({ challenge: 'AAAA', rp: {}, user: { id: 'dXNy' } }),
  };
  async function session() {
    const res = await h.call('POST', '/v1/session', { body: signInBody(await user()) });
    assert.equal(res.status, 200);
    return String([res.headers['set-cookie']].flat()[0]).split(';')[0]!;
  }
}

const ORIGIN = 'https://registry.test';

const PERSON_PASSWORD = 'conformance password';

/** The latest checkpoint with a cosignature of a witness the registry knows. */
async function cosignedCheckpoint(h: Harness): Promise<string> {
  const witness = generateWitnessKey('witness.example/conformance');
  h.ctx.log.witnesses.push(parseWitnessVerifierKey(witness.verifierKey));
  await h.call('POST', '/v1/log/checkpoints', { key: h.adminKey });
  const note = (await h.call('GET', '/v1/log/checkpoint')).body as string;
  const key = parseVerifierKey(String((await h.call('GET', '/v1/log/key')).body).trim());
  const signed = openNote(note, [key]).text;
  return note + cosign(signed, parseWitnessSignerKey(witness.signerKey), Math.floor(Date.now() / 1000));
}

/** The maker's named query `name` (made if missing). */
async function namedQuery(f: { h: Harness; c: SupplyChain }, name = 'conformance'): Promise<string> {
  const body = { name, query: { EQ_bizStep: 'commissioning' } };
  const res = await f.h.call('POST', '/epcis/queries', { key: f.c.maker.key, body });
  assert.ok(res.status === 201 || res.status === 409, JSON.stringify(res.body));
  return name;
}

/** A new subscription to the maker's named query. */
async function querySubscription(f: { h: Harness; c: SupplyChain }) {
  const queryName = await namedQuery(f);
  const res = await f.h.call('POST', `/epcis/queries/${queryName}/subscriptions`, {
    key: f.c.maker.key,
    body: { dest: 'https://hooks.example.com/epcis', stream: true },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { queryName, subscriptionID: res.body.subscriptionID as string };
}

/** Inputs per operationId: at least one that succeeds; errors beyond the 401s every operation is called with. */
const EXAMPLES: Record<string, Examples> = {
  checkLiveness: () => [{ expect: 200 }],
  checkReadiness: () => [{ expect: 200 }],
  getMe: async (f) => [
    { expect: 200, key: f.c.maker.key },
    { expect: 200, headers: { cookie: await f.session() } },
  ],

  inviteUser: ({ c }) => [
    {
      expect: 201,
      key: c.maker.key,
      params: { orgId: c.maker.org.id },
      body: { email: 'new.person@example.cn', role: 'reporter' },
    },
    {
      expect: 400,
      key: c.maker.key,
      params: { orgId: c.maker.org.id },
      body: { email: 'nope', role: 'viewer' },
    },
    {
      expect: 404,
      key: c.maker.key,
      params: { orgId: c.seller.org.id },
      body: { email: 'a@b.cn', role: 'viewer' },
    },
  ],
  listInvitations: ({ c }) => [
    { expect: 200, key: c.maker.key, params: { orgId: c.maker.org.id } },
    { expect: 404, key: c.maker.key, params: { orgId: c.seller.org.id } },
  ],
  withdrawInvitation: async (f) => [
    {
      expect: 200,
      key: f.c.maker.key,
      params: { orgId: f.c.maker.org.id, invitationId: (await f.invitation()).invitation.id },
    },
    { expect: 404, key: f.c.maker.key, params: { orgId: f.c.maker.org.id, invitationId: 'inv_missing' } },
  ],
  showInvitation: async (f) => [
    { expect: 200, params: { token: await f.invitationToken() } },
    { expect: 404, params: { token: 'no-such-invitation' } },
  ],
  acceptInvitation: async (f) => [
    {
      expect: 201,
      params: { token: await f.invitationToken() },
      body: { name: 'Chen Jie', password: PERSON_PASSWORD },
    },
    {
      expect: 400,
      params: { token: await f.invitationToken() },
      body: { name: 'Chen Jie', password: 'short' },
    },
    {
      expect: 404,
      params: { token: 'no-such-invitation' },
      body: { name: 'Chen Jie', password: PERSON_PASSWORD },
    },
  ],
  listUsers: ({ c }) => [
    { expect: 200, key: c.maker.key, params: { orgId: c.maker.org.id } },
    { expect: 404, key: c.maker.key, params: { orgId: c.seller.org.id } },
  ],
  setUserRole: async (f) => [
    {
      expect: 200,
      key: f.c.maker.key,
      params: { orgId: f.c.maker.org.id, userId: (await f.user()).id },
      body: { role: 'reporter' },
    },
    {
      expect: 404,
      key: f.c.maker.key,
      params: { orgId: f.c.maker.org.id, userId: 'usr_missing' },
      body: { role: 'viewer' },
    },
  ],
  removeUser: async (f) => [
    { expect: 200, key: f.c.maker.key, params: { orgId: f.c.maker.org.id, userId: (await f.user()).id } },
    { expect: 404, key: f.c.maker.key, params: { orgId: f.c.maker.org.id, userId: 'usr_missing' } },
  ],
  unlockUser: async (f) => [
    { expect: 200, key: f.c.maker.key, params: { orgId: f.c.maker.org.id, userId: (await f.user()).id } },
    { expect: 404, key: f.c.seller.key, params: { orgId: f.c.maker.org.id, userId: (await f.user()).id } },
  ],
  signIn: async (f) => {
    const u = await f.user();
    return [
      { expect: 200, body: f.signInBody(u) },
      { expect: 401, body: { ...f.signInBody(u), password: 'not the password' } },
      { expect: 400, body: { email: u.email } },
    ];
  },
  signOut: async (f) => [{ expect: 204 }, { expect: 403, headers: { cookie: await f.session() } }],

  // Passkeys belong to people: an API key gets 403 (first, so that the call without credentials is a 401).
  passkeyRegistrationOptions: async (f) => [
    { expect: 403, key: f.c.maker.key },
    { expect: 200, headers: { cookie: await f.session(), origin: ORIGIN } },
  ],
  addPasskey: async (f) => {
    const headers = { cookie: await f.session(), origin: ORIGIN };
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    const options = await f.h.call('POST', '/v1/me/passkeys/options', { headers });
    return [
      { expect: 403, key: f.c.maker.key, body: { name: 'laptop', response: f.registrationShape() } },
      { expect: 201, headers, body: { name: 'laptop', response: authenticator.create(options.body) } },
      { expect: 400, headers, body: { name: 'again', response: f.registrationShape() } },
    ];
  },
  listPasskeys: async (f) => [
    { expect: 403, key: f.c.maker.key },
    { expect: 200, headers: (await f.passkeyed()).headers },
  ],
  removePasskey: async (f) => {
    const { headers, passkeyId } = await f.passkeyed();
    return [
      { expect: 403, key: f.c.maker.key, params: { passkeyId } },
      { expect: 200, headers, params: { passkeyId } },
      { expect: 404, headers, params: { passkeyId } },
    ];
  },
  changePassword: async (f) => {
    const headers = { cookie: await f.session(), origin: ORIGIN };
    const body = { currentPassword: PERSON_PASSWORD, newPassword: 'a newer conformance password' };
    return [
      { expect: 403, key: f.c.maker.key, body },
      { expect: 400, headers, body: { ...body, currentPassword: 'not the password' } },
      { expect: 200, headers, body },
    ];
  },
  startTotpChange: async (f) => [
    { expect: 403, key: f.c.maker.key, body: {} },
    { expect: 200, headers: { cookie: await f.session(), origin: ORIGIN }, body: {} },
  ],
  changeTotp: async (f) => {
    const headers = { cookie: await f.session(), origin: ORIGIN };
    const started = await f.h.call('POST', '/v1/me/totp/options', { headers, body: {} });
    const code = TOTP.generate({ secret: Secret.fromBase32(started.body.secret), timestamp: Date.now() });
    return [
      { expect: 403, key: f.c.maker.key, body: { password: PERSON_PASSWORD, code } },
      { expect: 400, headers, body: { password: PERSON_PASSWORD, code: 'abcdef' } },
      { expect: 200, headers, body: { password: PERSON_PASSWORD, code } },
    ];
  },
  passkeySignInOptions: () => [
    { expect: 200, body: {} },
    { expect: 400, body: { email: 'a@b.cn' } },
  ],
  passkeySignIn: async (f) => {
    const { authenticator } = await f.passkeyed();
    const options = (await f.h.call('POST', '/v1/session/passkey/options', { body: {} })).body;
    const answer = authenticator.get(options.options);
    return [
      { expect: 200, body: { challengeId: options.challengeId, response: answer } },
      { expect: 401, body: { challengeId: options.challengeId, response: answer } },
      { expect: 400, body: { challengeId: options.challengeId } },
    ];
  },

  admitOrganisation: ({ h, c }) => [
    {
      expect: 201,
      key: h.adminKey,
      body: { name: 'Admitted Co', roles: ['seller'], jurisdiction: 'CN', registrationNumber: creditCode() },
    },
    {
      expect: 403,
      key: c.maker.key,
      body: { name: 'X', roles: ['seller'], jurisdiction: 'CN', registrationNumber: creditCode() },
    },
    { expect: 400, key: h.adminKey, body: { name: '' } },
  ],
  listOrganisations: ({ h }) => [
    { expect: 200, key: h.adminKey, query: { role: 'manufacturer' } },
    { expect: 400, key: h.adminKey, query: { limit: 0 } },
  ],
  getOrganisation: ({ c }) => [
    { expect: 200, params: { orgId: c.maker.org.id } },
    { expect: 404, params: { orgId: 'org_missing' } },
  ],
  createApiKey: ({ c }) => [
    { expect: 201, key: c.maker.key, params: { orgId: c.maker.org.id }, body: { name: 'ci' } },
    { expect: 404, key: c.maker.key, params: { orgId: c.seller.org.id }, body: { name: 'ci' } },
  ],
  listApiKeys: ({ c }) => [
    { expect: 200, key: c.maker.key, params: { orgId: c.maker.org.id } },
    { expect: 404, key: c.maker.key, params: { orgId: c.seller.org.id } },
  ],
  revokeApiKey: async (f) => [
    { expect: 200, key: f.c.maker.key, params: { orgId: f.c.maker.org.id, keyId: await f.apiKey() } },
    { expect: 404, key: f.c.maker.key, params: { orgId: f.c.maker.org.id, keyId: 'key_missing' } },
  ],

  registerPerson: ({ c }) => [
    { expect: 201, key: c.seller.key, body: { name: 'Wang Fang', phone: '+86 10 5555 0100' } },
    { expect: 400, key: c.seller.key, body: { name: 'Wang Fang' } },
  ],
  getPersonalData: async (f) => [
    {
      expect: 200,
      key: f.c.regulator.key,
      params: { id: await f.person() },
      headers: { 'robotid-purpose': 'inspection' },
    },
    { expect: 404, key: f.c.maker.key, params: { id: await f.person() } },
  ],
  correctPersonalData: async (f) => [
    { expect: 200, key: f.h.adminKey, params: { id: await f.person() }, body: { phone: '+86 10 5555 0101' } },
    {
      expect: 404,
      key: f.c.maker.key,
      params: { id: await f.person() },
      body: { phone: '+86 10 5555 0101' },
    },
  ],
  erasePersonalData: async (f) => {
    const id = await f.person();
    const body = { legalBasis: 'PIPL art. 47', requestReference: 'DSR-2026-0001' };
    return [
      { expect: 200, key: f.c.regulator.key, params: { id }, body },
      { expect: 410, key: f.c.regulator.key, params: { id }, body },
    ];
  },

  registerModel: ({ c }) => [
    {
      expect: 201,
      key: c.maker.key,
      body: { code: 'H2X9B4', name: 'Walker H2', category: 'general_purpose', capabilityLevel: 'L3' },
    },
    {
      expect: 409,
      key: c.maker.key,
      body: { code: 'H2X9B4', name: 'Walker H2', category: 'general_purpose', capabilityLevel: 'L3' },
    },
  ],
  listModels: ({ c }) => [
    { expect: 200, query: { enterpriseCode: c.maker.model.enterpriseCode } },
    { expect: 400, query: { cursor: 'not-a-cursor' } },
  ],
  getModel: ({ c }) => [
    { expect: 200, params: { enterpriseCode: c.maker.model.enterpriseCode, modelCode: c.maker.model.code } },
    { expect: 404, params: { enterpriseCode: c.maker.model.enterpriseCode, modelCode: 'ZZZZZZ' } },
  ],

  findRobots: ({ c }) => [
    {
      expect: 200,
      key: c.maker.key,
      headers: PURPOSE,
      query: { enterpriseCode: c.maker.model.enterpriseCode },
    },
    { expect: 400, key: c.maker.key, headers: PURPOSE, query: { state: 'levitating' } },
  ],
  issueRobotIds: ({ c }) => [
    { expect: 201, key: c.maker.key, body: { model: c.maker.model.code, count: 1 } },
    { expect: 403, key: c.operator.key, body: { model: c.maker.model.code, count: 1 } },
  ],
  getRobot: ({ robot }) => [
    { expect: 200, params: { id: robot } },
    { expect: 404, params: { id: NO_ROBOT } },
    { expect: 400, params: { id: 'CN-NOT-AN-ID' } },
  ],
  exportRobot: ({ robot }) => [
    { expect: 200, params: { id: robot }, query: { destination: 'DE' } },
    { expect: 400, params: { id: robot }, query: { destination: 'ZZ' } },
  ],
  getRobotLabelSvg: ({ robot }) => [
    { expect: 200, params: { id: robot } },
    { expect: 404, params: { id: NO_ROBOT } },
  ],
  getRobotLabelPng: ({ robot }) => [
    { expect: 200, params: { id: robot }, query: { size: '20mm', dpi: 300 } },
    { expect: 400, params: { id: robot }, query: { dpi: 5 } },
    { expect: 404, params: { id: NO_ROBOT } },
  ],
  getRobotLabelZpl: ({ robot }) => [
    { expect: 200, params: { id: robot }, query: { dpi: 203 } },
    { expect: 400, params: { id: robot }, query: { size: 'large' } },
    { expect: 404, params: { id: NO_ROBOT } },
  ],
  getLandingPage: () => [
    { expect: 200, headers: html },
    { expect: 200, query: { lang: 'zh' } },
    { expect: 400, query: { lang: 'fr' } },
  ],
  lookUpRobot: ({ robot }) => [
    { expect: 303, query: { id: robot } },
    { expect: 400, query: { id: '' } },
  ],
  resolveRobot: ({ robot }) => [
    { expect: 200, params: { id: robot }, headers: html },
    { expect: 200, params: { id: robot }, headers: { accept: 'application/json' } },
    { expect: 404, params: { id: NO_ROBOT }, headers: html },
    { expect: 404, params: { id: NO_ROBOT }, headers: { accept: 'application/json' } },
  ],
  getRobotPassport: ({ robot }) => [
    { expect: 200, params: { id: robot } },
    { expect: 404, params: { id: NO_ROBOT } },
  ],

  captureEvents: ({ c, robot }) => [
    {
      expect: 201,
      key: c.operator.key,
      body: { events: [event('serviced', robot, { kind: 'maintenance', description: 'joint lubrication' })] },
    },
    { expect: 403, key: c.seller.key, body: { events: [event('serviced', robot, { kind: 'maintenance' })] } },
    { expect: 400, key: c.operator.key, body: { events: [] } },
  ],
  captureEpcis: ({ c }) => [
    { expect: 202, key: c.maker.key, body: EPCIS_DOCUMENT },
    { expect: 400, key: c.maker.key, body: { ...EPCIS_DOCUMENT, creationDate: 'yesterday' } },
    { expect: 415, key: c.maker.key, body: EPCIS_DOCUMENT, headers: { 'content-type': 'application/xml' } },
  ],
  listEpcisCaptureJobs: ({ c }) => [{ expect: 200, key: c.maker.key }],
  getEpcisCaptureJob: async ({ h, c }) => {
    const job = await h.call('POST', '/epcis/capture', { key: c.maker.key, body: EPCIS_DOCUMENT });
    return [
      { expect: 200, key: c.maker.key, params: { captureID: job.body.captureID } },
      { expect: 404, key: c.operator.key, params: { captureID: job.body.captureID } },
    ];
  },
  queryEpcisEvents: ({ c, robot }) => [
    { expect: 200, key: c.maker.key, query: { MATCH_epc: `urn:robotid:robot:${robot}`, perPage: 2 } },
    { expect: 400, key: c.maker.key, query: { EQ_action: 'SELL' } },
  ],
  queryEpcisEventsOfEpc: ({ c, robot }) => [
    { expect: 200, key: c.maker.key, params: { epc: `urn:robotid:robot:${robot}` } },
    { expect: 404, key: c.maker.key, params: { epc: `urn:robotid:robot:${NO_ROBOT}` } },
  ],
  listEpcisEventTypes: () => [{ expect: 200 }],
  createEpcisQuery: ({ c }) => [
    { expect: 201, key: c.maker.key, body: { name: 'made', query: { EQ_bizStep: ['commissioning'] } } },
    { expect: 409, key: c.maker.key, body: { name: 'made', query: {} } },
    { expect: 400, key: c.maker.key, body: { name: 'bad', query: { EQ_everything: 'x' } } },
  ],
  listEpcisQueries: ({ c }) => [{ expect: 200, key: c.maker.key }],
  getEpcisQuery: async (f) => [
    { expect: 200, key: f.c.maker.key, params: { queryName: await namedQuery(f) } },
    { expect: 404, key: f.c.maker.key, params: { queryName: 'none' } },
  ],
  deleteEpcisQuery: async (f) => [
    { expect: 204, key: f.c.maker.key, params: { queryName: await namedQuery(f, 'to-remove') } },
    { expect: 404, key: f.c.maker.key, params: { queryName: 'to-remove' } },
  ],
  queryEpcisQueryEvents: async (f) => [
    { expect: 200, key: f.c.maker.key, params: { queryName: await namedQuery(f) }, query: { perPage: 2 } },
    { expect: 404, key: f.c.maker.key, params: { queryName: 'none' } },
  ],
  subscribeEpcisQuery: async (f) => [
    {
      expect: 201,
      key: f.c.maker.key,
      params: { queryName: await namedQuery(f) },
      body: { dest: 'https://hooks.example.com/epcis', stream: true },
    },
    {
      expect: 400,
      key: f.c.maker.key,
      params: { queryName: await namedQuery(f) },
      body: { dest: 'https://hooks.example.com/epcis', schedule: { hour: '1' } },
    },
    {
      expect: 404,
      key: f.c.maker.key,
      params: { queryName: 'none' },
      body: { dest: 'https://hooks.example.com/epcis', stream: true },
    },
  ],
  listEpcisQuerySubscriptions: async (f) => [
    { expect: 200, key: f.c.maker.key, params: { queryName: await namedQuery(f) } },
    { expect: 404, key: f.c.maker.key, params: { queryName: 'none' } },
  ],
  getEpcisQuerySubscription: async (f) => {
    const { queryName, subscriptionID } = await querySubscription(f);
    return [
      { expect: 200, key: f.c.maker.key, params: { queryName, subscriptionID } },
      { expect: 404, key: f.c.operator.key, params: { queryName, subscriptionID } },
    ];
  },
  unsubscribeEpcisQuery: async (f) => {
    const { queryName, subscriptionID } = await querySubscription(f);
    return [
      { expect: 204, key: f.c.maker.key, params: { queryName, subscriptionID } },
      { expect: 404, key: f.c.maker.key, params: { queryName, subscriptionID } },
    ];
  },
  getRobotHistory: ({ c, robot }) => [
    { expect: 200, key: c.maker.key, params: { id: robot } },
    { expect: 404, key: c.maker.key, params: { id: NO_ROBOT } },
  ],

  grantServiceAuthorisation: ({ c, robot }) => [
    {
      expect: 201,
      key: c.operator.key,
      params: { id: robot },
      body: {
        serviceProviderId: c.serviceCo.org.id,
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      },
    },
    {
      expect: 404,
      key: c.operator.key,
      params: { id: NO_ROBOT },
      body: {
        serviceProviderId: c.serviceCo.org.id,
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      },
    },
  ],
  listServiceAuthorisations: ({ c, robot }) => [
    { expect: 200, key: c.operator.key, params: { id: robot } },
    { expect: 404, key: c.operator.key, params: { id: NO_ROBOT } },
  ],
  revokeServiceAuthorisation: async (f) => [
    { expect: 200, key: f.c.operator.key, params: { id: f.robot, authorisationId: await f.authorisation() } },
    { expect: 404, key: f.c.operator.key, params: { id: f.robot, authorisationId: 'sa_missing' } },
  ],
  setRobotGs1Key: ({ c, robot }) => [
    {
      expect: 200,
      key: c.maker.key,
      params: { id: robot },
      body: { gs1Key: 'urn:epc:id:sgtin:0614141.812345.400' },
    },
    {
      expect: 400,
      key: c.maker.key,
      params: { id: robot },
      body: { gs1Key: 'urn:epc:id:sscc:0614141.1234567890' },
    },
    {
      expect: 404,
      key: c.recycler.key,
      params: { id: robot },
      body: { gs1Key: 'urn:epc:id:sgtin:0614141.812345.1' },
    },
  ],
  removeRobotGs1Key: async ({ h, c, robot }) => {
    const set = await h.call('PUT', `/v1/robots/${robot}/gs1-key`, {
      key: c.maker.key,
      body: { gs1Key: 'urn:epc:id:sgtin:0614141.812345.402' },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    return [
      { expect: 204, key: c.maker.key, params: { id: robot } },
      { expect: 404, key: c.maker.key, params: { id: robot } },
    ];
  },
  listEventTypes: () => [{ expect: 200 }],
  createLabelSheet: ({ c, robot }) => [
    { expect: 200, key: c.maker.key, body: { robotIds: [robot], sizeMm: 25, format: 'pdf' } },
    { expect: 200, key: c.maker.key, body: { robotIds: [robot], sizeMm: 25, format: 'zpl', dpi: 203 } },
    { expect: 400, key: c.maker.key, body: { robotIds: [robot], sizeMm: 5, format: 'pdf' } },
    { expect: 404, key: c.recycler.key, body: { robotIds: [robot], sizeMm: 25, format: 'pdf' } },
  ],
  getNextEvents: ({ c, robot }) => [
    { expect: 200, key: c.operator.key, params: { id: robot } },
    { expect: 404, key: c.operator.key, params: { id: NO_ROBOT } },
  ],
  getOrganisationTodo: ({ c }) => [
    { expect: 200, key: c.maker.key, params: { orgId: c.maker.org.id } },
    { expect: 200, key: c.regulator.key, params: { orgId: c.operator.org.id }, headers: PURPOSE },
    { expect: 404, key: c.seller.key, params: { orgId: c.maker.org.id } },
  ],
  listLateReports: ({ c }) => [
    { expect: 200, key: c.maker.key, params: { orgId: c.maker.org.id } },
    { expect: 404, key: c.seller.key, params: { orgId: c.maker.org.id } },
  ],

  listRobotReads: ({ c, robot }) => [
    { expect: 200, key: c.operator.key, params: { id: robot } },
    { expect: 404, key: c.seller.key, params: { id: robot } },
  ],
  searchReadAudit: ({ c, robot }) => [
    { expect: 200, key: c.regulator.key, query: { robotId: robot }, headers: PURPOSE },
    { expect: 403, key: c.operator.key },
  ],

  createSubscription: ({ c }) => [
    {
      expect: 201,
      key: c.operator.key,
      body: { url: 'https://hooks.example.test/a', topics: ['robot.suspended'] },
    },
    { expect: 400, key: c.operator.key, body: { url: 'https://hooks.example.test/a', topics: [] } },
  ],
  listSubscriptions: ({ c }) => [{ expect: 200, key: c.operator.key }],
  getSubscription: ({ c, subscriptionId }) => [
    { expect: 200, key: c.operator.key, params: { id: subscriptionId } },
    { expect: 404, key: c.seller.key, params: { id: subscriptionId } },
  ],
  deleteSubscription: async (f) => [
    { expect: 200, key: f.c.operator.key, params: { id: await f.subscription() } },
    { expect: 404, key: f.c.seller.key, params: { id: f.subscriptionId } },
  ],
  listSubscriptionDeliveries: ({ c, subscriptionId }) => [
    { expect: 200, key: c.operator.key, params: { id: subscriptionId }, query: { state: 'delivered' } },
    { expect: 404, key: c.seller.key, params: { id: subscriptionId } },
  ],
  listDeliveries: ({ c }) => [
    { expect: 200, key: c.operator.key },
    { expect: 400, key: c.operator.key, query: { state: 'lost' } },
  ],
  getDelivery: ({ c, deliveryId }) => [
    { expect: 200, key: c.operator.key, params: { id: deliveryId } },
    { expect: 404, key: c.seller.key, params: { id: deliveryId } },
  ],
  redeliverDelivery: ({ c, deliveryId }) => [
    { expect: 200, key: c.operator.key, params: { id: deliveryId } },
    { expect: 409, key: c.operator.key, params: { id: deliveryId } },
  ],

  openRecall: ({ c }) => [
    { expect: 201, key: c.regulator.key, body: campaign({ components: [{ partNumber: 'HJ-41' }] }) },
    { expect: 403, key: c.operator.key, body: campaign({ components: [{ partNumber: 'HJ-41' }] }) },
  ],
  listRecalls: () => [
    { expect: 200, query: { status: 'open' } },
    { expect: 400, query: { status: 'forgotten' } },
  ],
  getRecall: ({ recallNumber }) => [
    { expect: 200, params: { number: recallNumber } },
    { expect: 404, params: { number: 'RC-2026-999999' } },
    { expect: 400, params: { number: 'RC-26-1' } },
  ],
  getRecallProgress: ({ recallNumber }) => [
    { expect: 200, params: { number: recallNumber } },
    { expect: 404, params: { number: 'RC-2026-999999' } },
  ],
  listRecallRobots: ({ c, recallNumber }) => [
    { expect: 200, key: c.maker.key, params: { number: recallNumber } },
    { expect: 404, key: c.maker.key, params: { number: 'RC-2026-999999' } },
  ],
  setRecallRobotState: ({ c, recallNumber, robot }) => [
    {
      expect: 200,
      key: c.regulator.key,
      params: { number: recallNumber, id: robot },
      body: { state: 'exempt', note: 'kept in a museum, never powered' },
    },
    {
      expect: 400,
      key: c.regulator.key,
      params: { number: recallNumber, id: robot },
      body: { state: 'exempt' },
    },
    {
      expect: 404,
      key: c.maker.key,
      params: { number: recallNumber, id: robot },
      body: { state: 'remedied' },
    },
  ],
  closeRecall: async (f) => {
    const number = await f.recall();
    return [
      { expect: 200, key: f.c.regulator.key, params: { number } },
      { expect: 409, key: f.c.regulator.key, params: { number } },
    ];
  },
  listRobotRecalls: ({ robot }) => [
    { expect: 200, params: { id: robot } },
    { expect: 404, params: { id: NO_ROBOT } },
  ],

  listIncidents: ({ c }) => [
    { expect: 200, key: c.regulator.key, headers: PURPOSE },
    { expect: 400, key: c.regulator.key, headers: PURPOSE, query: { severity: 'apocalyptic' } },
  ],
  getIncidentTrends: ({ c }) => [
    { expect: 200, key: c.regulator.key, headers: PURPOSE, query: { by: 'model' } },
    { expect: 403, key: c.seller.key, headers: PURPOSE, query: { by: 'model' } },
  ],
  getIncident: ({ c, incidentId }) => [
    { expect: 200, key: c.regulator.key, headers: PURPOSE, params: { id: incidentId } },
    { expect: 404, key: c.regulator.key, headers: PURPOSE, params: { id: '999999' } },
  ],
  triageIncident: ({ c, incidentId }) => [
    {
      expect: 200,
      key: c.regulator.key,
      params: { id: incidentId },
      body: { state: 'under_investigation', note: 'x' },
    },
    { expect: 403, key: c.seller.key, params: { id: incidentId }, body: { state: 'under_investigation' } },
  ],

  getLogKey: () => [{ expect: 200 }],
  getCheckpoint: () => [{ expect: 200 }],
  getTlogCheckpoint: () => [{ expect: 200 }],
  signCheckpoint: ({ h }) => [{ expect: 201, key: h.adminKey }],
  addCosignatures: ({ cosigned }) => [
    { expect: 201, body: { note: cosigned } },
    { expect: 400, body: { note: 'not a signed note' } },
  ],
  getInclusionProof: () => [
    { expect: 200, query: { leafIndex: 0 } },
    { expect: 400, query: { leafIndex: 1e9 } },
  ],
  getEventInclusionProof: ({ c, robot, eventId }) => [
    { expect: 200, key: c.maker.key, params: { id: robot, eventId } },
    { expect: 404, key: c.maker.key, params: { id: robot, eventId: 'no-such-event' } },
  ],
  getConsistencyProof: () => [
    { expect: 200, query: { from: 1, to: 2 } },
    { expect: 400, query: { from: 2, to: 1 } },
  ],
  getLogLeaves: () => [
    { expect: 200, query: { start: 0, end: 2 } },
    { expect: 400, query: { start: 2, end: 1 } },
  ],
  getRobotProofBundle: ({ c, robot }) => [
    { expect: 200, key: c.maker.key, params: { id: robot } },
    { expect: 404, key: c.maker.key, params: { id: NO_ROBOT } },
  ],
  getPassportJwks: () => [{ expect: 200 }],
  getJwtVcIssuerMetadata: () => [{ expect: 200 }],
  getPassportTypeMetadata: () => [{ expect: 200 }],

  getComplianceReport: ({ c }) => [
    { expect: 200, key: c.maker.key, params: { orgId: c.maker.org.id } },
    { expect: 404, key: c.seller.key, params: { orgId: c.maker.org.id } },
  ],
  getComplianceReportHtml: ({ c }) => [
    { expect: 200, key: c.maker.key, params: { orgId: c.maker.org.id } },
    { expect: 404, key: c.seller.key, params: { orgId: c.maker.org.id } },
  ],
  runComplianceCheck: ({ c }) => [
    { expect: 200, key: c.regulator.key },
    { expect: 403, key: c.operator.key },
  ],
};

const pathOf = (op: Operation, call: Call) => {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = call.params?.[name];
    assert.ok(value !== undefined, `${op.operationId}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams(
    Object.entries(call.query ?? {}).flatMap(([k, v]) =>
      v === undefined ? [] : [[k, String(v)] as [string, string]],
    ),
  ).toString();
  return query ? `${path}?${query}` : path;
};

const anonymousAllowed = (op: Operation) =>
  op.security.length === 0 || op.security.some((s) => Object.keys(s).length === 0);

describe('openapi.json: every operation answers as it declares', () => {
  let h: Harness;
  let port: number;
  let spec: Spec;
  let f: Fixtures;
  let hook: WebhookReceiver;

  before(async () => {
    h = await startHarness();
    hook = await WebhookReceiver.on(() => ({ status: 204 }));
    await hook.start();
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    port = (h.app.server.address() as { port: number }).port;
    spec = loadSpec(
      JSON.parse((await rawRequest(port, { method: 'GET', path: '/openapi.json' })).body.toString()),
    );
    f = await buildFixtures(h, hook);
  });
  after(async () => {
    await hook?.stop();
    await h?.close();
  });

  test('every operation has an operationId and examples, and every example an operation', () => {
    const ids = spec.operations.map((op) => op.operationId);
    assert.deepEqual(
      spec.operations.filter((op) => !op.operationId).map((op) => op.id),
      [],
    );
    assert.deepEqual(
      ids.filter((id) => !(id! in EXAMPLES)),
      [],
      'operations without examples: add them to EXAMPLES',
    );
    assert.deepEqual(
      Object.keys(EXAMPLES).filter((id) => !ids.includes(id)),
      [],
      'examples of operations the document does not list',
    );
  });

  test('statuses and media types as declared, a success and an error for each operation', async () => {
    const faults: string[] = [];
    for (const op of spec.operations) {
      const examples = EXAMPLES[op.operationId!];
      if (!examples) continue;
      const own = await examples(f);
      if (anonymousAllowed(op) && own[0]!.key) {
        faults.push(`${op.operationId} declares anonymous callers: its first example must have no key`);
      }
      const calls = [
        ...own,
        { ...own[0]!, key: REFUSED_KEY, expect: 401 },
        ...(anonymousAllowed(op) ? [] : [{ ...own[0]!, key: undefined, expect: 401 }]),
      ];
      const seen = new Set<number>();
      for (const call of calls) {
        const path = pathOf(op, call);
        const body = call.body === undefined ? undefined : JSON.stringify(call.body);
        const response = await rawRequest(port, {
          method: op.method,
          path,
          headers: {
            ...(call.key ? { authorization: `Bearer ${call.key}` } : {}),
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
            ...call.headers, // after: an example may send its body as another media type
          },
          ...(body === undefined ? {} : { body }),
        });
        const answer = `${op.operationId} ${op.method} ${path} → ${response.status}`;
        seen.add(response.status);
        if (response.status !== call.expect) {
          faults.push(`${answer}, expected ${call.expect}: ${response.body.toString().slice(0, 200)}`);
        }
        for (const fault of violations(spec, { method: op.method, path }, response, op)) {
          faults.push(`${answer}: ${fault}`);
        }
      }
      const statuses = [...seen];
      if (!statuses.some((s) => s < 400)) faults.push(`${op.operationId}: no success`); // a redirect is one
      if (!statuses.some((s) => s >= 400)) faults.push(`${op.operationId}: no error`);
    }
    assert.equal(faults.length, 0, `${faults.length} answers not as declared:\n${faults.join('\n')}`);
  });
});
