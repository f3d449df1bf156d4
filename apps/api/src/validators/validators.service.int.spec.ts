import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { JobStatusEntity, JobsRepository, NotFound, openReadModels, ValidatorEntity, ValidatorsRepository } from '#read-models';
import { dropSchemas, testNamespace, testServices } from '#testing';
import type { DataSource } from 'typeorm';
import { ValidatorsQuery } from './validators.query.js';
import { ValidatorsService } from './validators.service.js';

// A medium test: the service over its repositories and a real Postgres schema of its own, without Nest or NATS.
jest.setTimeout(30_000);

const schema = testNamespace('validators service');
let databaseUrl: string;
let db: DataSource;
let service: ValidatorsService;

const validator = (hotkey: string, stake: string, consensusEntries: number, outlierEntries: number, validatorPermit = true) => ({
  hotkey,
  netuid: 26,
  uid: hotkey.charCodeAt(0),
  stake,
  validatorPermit,
  active: true,
  lastSeenBlock: 1000,
  consensusEntries,
  outlierEntries,
  agreementSequence: consensusEntries === 0 ? null : 55,
  lastSequence: 60,
});

const status = (jobId: string, value: 'COMPLETED' | 'FAILED') => ({
  jobId,
  validator: 'a',
  status: value,
  updatedAt: new Date('2026-01-01T01:00:00Z'),
  lastSequence: 20,
});

const query = (fields: Partial<ValidatorsQuery>): ValidatorsQuery => Object.assign(new ValidatorsQuery(), fields);

beforeAll(async () => {
  databaseUrl = (await testServices()).databaseUrl;
  db = await openReadModels({ url: databaseUrl, schema });
  // Stakes chosen so that text order ('10…' < '9…') and numeric order disagree.
  await db.getRepository(ValidatorEntity).insert([validator('a', '9000000000', 4, 1), validator('b', '10000000000', 0, 0), validator('c', '500', 2, 2, false)]);
  await db
    .getRepository(JobStatusEntity)
    .insert([
      status('00000000-0000-4000-8000-000000000001', 'COMPLETED'),
      status('00000000-0000-4000-8000-000000000002', 'COMPLETED'),
      status('00000000-0000-4000-8000-000000000003', 'FAILED'),
    ]);
  service = new ValidatorsService(new ValidatorsRepository(db), new JobsRepository(db));
});

afterAll(async () => {
  await db?.destroy();
  if (databaseUrl) await dropSchemas(databaseUrl, schema);
});

describe('ValidatorsService over Postgres', () => {
  it('sorts stake by value and filters by permit', async () => {
    const hotkeys = async (fields: Partial<ValidatorsQuery>) => (await service.list(query(fields))).items.map((v) => v.hotkey);
    expect(await hotkeys({})).toEqual(['b', 'a', 'c']);
    expect(await hotkeys({ order: 'asc' })).toEqual(['c', 'a', 'b']);
    expect(await hotkeys({ permit: false })).toEqual(['c']);
  });

  it('serves agreement with consensus and evaluations counted by status', async () => {
    expect(await service.get('a')).toEqual({
      hotkey: 'a',
      netuid: 26,
      uid: 97,
      stake: '9000000000',
      validatorPermit: true,
      active: true,
      lastSeenBlock: 1000,
      consensusEntries: 4,
      outlierEntries: 1,
      agreement: 0.75,
      agreementSequence: 55,
      lastSequence: 60,
      evaluations: { COMPLETED: 2, FAILED: 1 },
    });
    expect(await service.get('b')).toMatchObject({ agreement: null, evaluations: {} });
  });

  it('answers an unknown hotkey with NotFound', async () => {
    await expect(service.get('nobody')).rejects.toEqual(new NotFound('validator', 'nobody'));
  });
});
