import { describe, expect, it } from '@jest/globals';
import { ActBatchRequest, type ActRequest } from '../generated/kinitro/agent/v1/agent.js';
import { StepReusingAgentServiceClient } from './agent-service-client.js';

const step = (episodeId: string, values: number): ActRequest => ({
  observation: { state: { shape: [values], dtype: 2, data: Buffer.from(Float64Array.from({ length: values }, (_, i) => i / 7).buffer) } },
  step: 3,
  episodeId,
});
const serialize = StepReusingAgentServiceClient.service.actBatchStream.requestSerialize as (value: ActBatchRequest) => Buffer;

describe('the client serializing steps into a reused writer', () => {
  it('writes the bytes the generated serializer writes, message after message of any size, each its own copy', () => {
    const batches: ActBatchRequest[] = [
      { steps: [step('e1', 39), step('e2', 39), step('e3', 39), step('e4', 39)], finishedEpisodeIds: [] },
      { steps: [step('e5', 2)], finishedEpisodeIds: ['e1', 'e2'] },
      { steps: [step('e6', 20_000)], finishedEpisodeIds: [] },
      { steps: [], finishedEpisodeIds: ['e6'] },
    ];
    const written = batches.map(serialize);
    written.forEach((bytes, i) => expect(bytes.equals(Buffer.from(ActBatchRequest.encode(batches[i]!).finish()))).toBe(true));
    expect(ActBatchRequest.decode(written[1]!)).toEqual(batches[1]);
  });

  it('starts clean after an encode that failed midway', () => {
    expect(() => serialize({ steps: [step('e1', 4), { ...step('e2', 4), step: -1 }], finishedEpisodeIds: [] })).toThrow();
    const batch = { steps: [step('e3', 4)], finishedEpisodeIds: [] };
    expect(serialize(batch).equals(Buffer.from(ActBatchRequest.encode(batch).finish()))).toBe(true);
  });
});
