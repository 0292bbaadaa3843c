import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../../src/domain/errors.js';
import type { Component } from '../../src/domain/lifecycle/events.js';
import {
  matches,
  recallNumber,
  remedies,
  validateRecallDraft,
  type RecallDraft,
  type RobotFacts,
} from '../../src/domain/safety/recalls.js';

const knee = (lot: string, serial: string): Component => ({
  kind: 'actuator',
  manufacturer: 'HJ',
  partNumber: 'HJ-40',
  lot,
  serial,
});

const robot = (extra: Partial<RobotFacts> = {}): RobotFacts => ({
  robotId: 'CN0001H1X9B4R0000000000000001',
  state: 'in_use',
  productionDate: '2026-03-10',
  components: [knee('L7', 'HJ40-0042')],
  software: [{ target: 'motion_os', version: '3.2.1' }],
  ...extra,
});

const draft = (
  criteria: RecallDraft['criteria'],
  remedy: Partial<RecallDraft['remedy']> = {},
): RecallDraft => ({
  component: 'knee',
  summary: 's',
  consequence: 'c',
  remedy: { description: 'r', overTheAir: false, ...remedy },
  stopUse: false,
  criteria,
});

describe('recall criteria', () => {
  test('each criterion narrows; within components or software any entry matches', () => {
    const cases: [RecallDraft['criteria'], boolean][] = [
      [{ components: [{ partNumber: 'HJ-40', lots: ['L7'] }] }, true],
      [{ components: [{ partNumber: 'HJ-40', lots: ['L8'] }] }, false],
      [{ components: [{ partNumber: 'HJ-40', lots: ['L8'] }, { partNumber: 'HJ-40' }] }, true],
      [{ components: [{ partNumber: 'HJ-40', serials: { from: 'HJ40-0040', to: 'HJ40-0049' } }] }, true],
      [{ components: [{ partNumber: 'HJ-40', serials: { from: 'HJ40-0043', to: 'HJ40-0049' } }] }, false],
      [{ components: [{ partNumber: 'HJ-40', serials: { from: 'HJ40-004', to: 'HJ40-005' } }] }, false],
      [{ models: ['CN0001H1X9B4'] }, true],
      [{ models: ['CN0001H1X9B5'] }, false],
      [{ models: ['CN0001H1X9B4'], producedFrom: '2026-03-10', producedTo: '2026-03-10' }, true],
      [{ models: ['CN0001H1X9B4'], producedFrom: '2026-03-11' }, false],
      [{ software: [{ target: 'motion_os', versions: ['3.2.0', '3.2.1'] }] }, true],
      [{ software: [{ target: 'safety_mcu', versions: ['3.2.1'] }] }, false],
      [{ models: ['CN0001H1X9B4'], software: [{ target: 'motion_os', versions: ['9'] }] }, false],
    ];
    for (const [criteria, expected] of cases)
      assert.equal(matches(criteria, robot()), expected, JSON.stringify(criteria));
  });

  test('scrapped robots are never affected; a robot without production date fails a date range', () => {
    const criteria = { components: [{ partNumber: 'HJ-40' }] };
    assert.equal(matches(criteria, robot({ state: 'decommissioned' })), false);
    assert.equal(matches(criteria, robot({ state: 'recycled' })), false);
    assert.equal(matches({ ...criteria, producedTo: '2030-01-01' }, robot({ productionDate: null })), false);
  });

  test('a service remedies by removing the match, by installing the fix, or by naming the campaign', () => {
    const campaign = {
      number: recallNumber(2026, 7),
      criteria: { components: [{ partNumber: 'HJ-40', lots: ['L7'] }] },
    };
    const replaced = robot({ components: [knee('L9', 'HJ40-0100')] });
    assert.equal(
      remedies(
        { ...campaign, remedy: { description: 'r', overTheAir: false } },
        { kind: 'repair' },
        replaced,
      ),
      true,
    );
    const unchanged = robot();
    const plain = { ...campaign, remedy: { description: 'adjust', overTheAir: false } };
    assert.equal(remedies(plain, { kind: 'inspection' }, unchanged), false);
    assert.equal(remedies(plain, { kind: 'inspection', recall: 'RC-2026-000007' }, unchanged), true);
    assert.equal(remedies(plain, { kind: 'inspection', recall: 'RC-2026-000008' }, unchanged), false);
    const fix = { target: 'motion_os', version: '3.3.1' };
    const ota = { ...campaign, remedy: { description: 'update', overTheAir: true, software: fix } };
    assert.equal(
      remedies(ota, { kind: 'firmware_update', recall: campaign.number }, unchanged),
      false,
      'named, not fixed',
    );
    assert.equal(remedies(ota, { kind: 'firmware_update' }, robot({ software: [fix] })), true);
  });

  test('validation names every field at fault at once', () => {
    try {
      validateRecallDraft(
        draft(
          {
            models: ['CN0001', 'XX0001H1X9B4'],
            producedFrom: '2026-02-30',
            components: [{ partNumber: 'HJ-40', lots: [], serials: { from: 'B2', to: 'A' } }],
          },
          { overTheAir: true },
        ),
      );
      assert.fail('accepted');
    } catch (error) {
      assert.ok(error instanceof DomainError);
      assert.equal(error.code, 'invalid-criteria');
      assert.deepEqual(
        error.fields.map((f) => f.field),
        [
          '/criteria/models/0',
          '/criteria/models/1',
          '/criteria/producedFrom',
          '/criteria/components/0/serials/to',
          '/criteria/components/0/serials',
          '/criteria/components/0/lots',
          '/remedy/software',
        ],
      );
    }
    assert.doesNotThrow(() => validateRecallDraft(draft({ models: ['CN0001H1X9B4'] })));
  });
});
