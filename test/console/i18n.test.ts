// Every string of the console in both languages: the two resource files have the same keys (with the same
// {{placeholders}}), every key the source names exists, and every value a key is built from (a state, an event
// type...) has its translation, taken from the registry's own lists so that a new value without one fails here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { enUS } from '../../console/src/i18n/en-US.js';
import { zhCN } from '../../console/src/i18n/zh-CN.js';
import { COMPONENT_KINDS, EVENT_TYPES } from '../../src/domain/lifecycle/events.js';
import { PAYLOAD_SCHEMAS } from '../../src/domain/lifecycle/payloads.js';
import { CAPABILITY_LEVELS, MODEL_CATEGORIES } from '../../src/domain/model/model.js';
import { ROLES } from '../../src/domain/org/roles.js';
import { PURPOSES } from '../../src/domain/policy/purposes.js';
import { NOTICE_TOPICS } from '../../src/domain/safety/notices.js';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const LANGUAGES = { 'en-US': flatten(enUS), 'zh-CN': flatten(zhCN) };
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !path.includes(join('src', 'api')) && !path.includes('i18n') ? [path] : [];
  });
}
const SOURCES = sourceFiles('console/src').map((path) => ({ path, text: readFileSync(path, 'utf8') }));
const NAMESPACES = Object.keys(enUS);

const openapi = JSON.parse(readFileSync('openapi.json', 'utf8'));
const robot = openapi.components.schemas.Robot.properties;

/** Every property name and enum value of the event payload schemas: the report forms' labels and choices. */
const payloadWords = { fields: new Set<string>(), values: new Set<string>() };
const walk = (schema: Record<string, unknown>) => {
  for (const [name, property] of Object.entries(
    (schema.properties ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    payloadWords.fields.add(name);
    walk(property);
  }
  if (schema.items) walk(schema.items as Record<string, unknown>);
  for (const value of (schema.enum ?? []) as unknown[]) payloadWords.values.add(String(value));
};
for (const schema of Object.values(PAYLOAD_SCHEMAS)) walk(JSON.parse(JSON.stringify(schema)));

/** Keys built at run time (t(`states.${state}`)): each family and every value the registry may send. */
const FAMILIES: Record<string, readonly string[]> = {
  states: robot.state.enum,
  certification: robot.certification.properties.status.enum,
  relations: robot.access.properties.relation.enum,
  roles: openapi.components.schemas.User.properties.role.enum,
  purposes: PURPOSES,
  eventTypes: EVENT_TYPES,
  componentKinds: COMPONENT_KINDS,
  organisationRoles: ROLES,
  certificationFilter: ['valid', 'invalid'],
  home: ['lateReports', 'openFindings', 'recalls', 'openIncidents'],
  fields: [...payloadWords.fields],
  values: [...payloadWords.values],
  'robotId.parts': ['country', 'enterprise', 'model', 'serial', 'check'],
  'admin.tabs': ['people', 'keys', 'webhooks'],
  topics: NOTICE_TOPICS,
  deliveryStates: ['pending', 'delivered', 'dead'],
  modelCategories: MODEL_CATEGORIES,
  capabilityLevels: CAPABILITY_LEVELS,
  // Every field of the model registration the API takes (its errors name them), but the administrator's own.
  'models.fields': Object.keys(
    openapi.paths['/v1/models'].post.requestBody.content['application/json'].schema.properties,
  ).filter((field) => field !== 'manufacturerId'),
};

describe('the console’s strings', () => {
  test('both languages have the same keys, none empty, with the same placeholders', () => {
    const en = LANGUAGES['en-US'];
    const zh = LANGUAGES['zh-CN'];
    assert.deepEqual(
      [...en.keys()].filter((k) => !zh.has(k)),
      [],
      'keys missing in zh-CN',
    );
    assert.deepEqual(
      [...zh.keys()].filter((k) => !en.has(k)),
      [],
      'keys missing in en-US',
    );
    for (const [key, text] of en) {
      assert.ok(text.trim() !== '' && zh.get(key)!.trim() !== '', `${key} is empty`);
      assert.deepEqual(placeholders(zh.get(key)!), placeholders(text), `${key}: the same placeholders`);
    }
  });

  test('every key the source names is in the resources', () => {
    const literal = new RegExp(`['"\`]((?:${NAMESPACES.join('|')})\\.[A-Za-z_.]+)['"\`]`, 'g');
    const named = SOURCES.flatMap(({ path, text }) =>
      [...text.matchAll(literal)].map((m) => ({ path, key: m[1]! })),
    );
    assert.ok(named.length > 50, `the scan finds the keys (${named.length})`);
    for (const { path, key } of named)
      for (const [language, keys] of Object.entries(LANGUAGES))
        assert.ok(keys.has(key), `${key} (${path}) in ${language}`);
  });

  test('every key built at run time has its family listed here, and the family every value', () => {
    const built = /\bt\(\s*`([\w.]+)\.\$\{/g;
    const families = new Set(SOURCES.flatMap(({ text }) => [...text.matchAll(built)].map((m) => m[1]!)));
    assert.ok(families.size > 3);
    for (const family of families)
      assert.ok(family in FAMILIES, `t(\`${family}.\${…}\`): list its values in FAMILIES`);
    for (const [family, values] of Object.entries(FAMILIES))
      for (const value of values)
        for (const [language, keys] of Object.entries(LANGUAGES))
          assert.ok(keys.has(`${family}.${value}`), `${family}.${value} in ${language}`);
  });
});
