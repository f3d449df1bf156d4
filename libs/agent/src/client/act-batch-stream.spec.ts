import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import type { ActBatchRequest, ActBatchResponse, ActRequest, AgentServiceClient } from '../generated/kinitro/agent/v1/agent.js';
import { ActBatchStream } from './act-batch-stream.js';

/**
 * A stand-in for grpc-js's duplex call that records what is written and when: the order of writes against the
 * event loop is what these tests pin, and a real agent cannot be made to answer at a chosen moment (the real
 * stream, end to end, is client.int.spec.ts's).
 */
class RecordingCall extends EventEmitter {
  readonly log: string[] = [];
  write(request: ActBatchRequest): boolean {
    this.log.push(`write ${request.steps.map((s) => s.episodeId).join(',')}`);
    return true;
  }
  end(): void {}
  cancel(): void {}
  answer(actions: number): void {
    const response: ActBatchResponse = { actions: Array.from({ length: actions }, () => ({ action: {} })) };
    this.emit('data', response);
  }
}

const open = (episodes: number, batchesInFlight: number) => {
  const call = new RecordingCall();
  const stub = { actBatchStream: () => call } as unknown as AgentServiceClient;
  const stream = new ActBatchStream(stub, { timeoutMs: 60_000, maxMessageBytes: 1 << 20, batchesInFlight });
  for (let i = 0; i < episodes; i++) stream.join();
  return { call, stream };
};
/** Until the event loop's next turn (its check phase), with everything queued before it done. */
const turn = () => new Promise<void>((done) => setImmediate(done));
const request = (episodeId: string): ActRequest => ({ observation: {}, step: 0, episodeId });

/** An episode's loop as the client runs it: its next step only once its last action came (a few awaits deep). */
const episodeLoop = async (stream: ActBatchStream, id: string, steps: number): Promise<void> => {
  for (let i = 0; i < steps; i++) {
    await Promise.resolve();
    await stream.step(request(id));
  }
};

describe('ActBatchStream writing batches', () => {
  it("sends the steps of one turn's episodes as one batch, before the event loop handles the next answer", async () => {
    const { call, stream } = open(4, 2);
    const loops = ['a', 'b', 'c', 'd'].map((id) => episodeLoop(stream, id, 2));
    await turn();
    expect(call.log).toEqual(['write a,b', 'write c,d']);

    // The answer to a,b resumes their loops; the answer to c,d, read in the same turn, is handled on the next
    // turn (setImmediate): a,b's next batch must have been written by then, or it waits for c,d's simulation.
    call.answer(2);
    setImmediate(() => {
      call.log.push('next answer handled');
      call.answer(2);
    });
    await turn();
    await turn();
    expect(call.log).toEqual(['write a,b', 'write c,d', 'write a,b', 'next answer handled', 'write c,d']);
    call.answer(2);
    call.answer(2);
    await Promise.all(loops);
  });

  it('holds steps back while as many batches are unanswered as may be, then sends them together', async () => {
    const { call, stream } = open(4, 1);
    const first = stream.step(request('a'));
    await turn();
    const held = ['b', 'c', 'd'].map((id) => stream.step(request(id)));
    await turn();
    expect(call.log).toEqual(['write a']);
    call.answer(1);
    await first;
    const next = stream.step(request('a'));
    await turn();
    expect(call.log).toEqual(['write a', 'write b,c,d,a']);
    call.answer(4);
    await Promise.all([...held, next]);
  });

  it('fails every step, sent or waiting, when an answer holds the wrong number of actions', async () => {
    const { call, stream } = open(2, 1);
    const sent = stream.step(request('a'));
    await turn();
    const waiting = stream.step(request('b'));
    call.answer(3);
    await expect(sent).rejects.toThrow('it answered a batch of 1 step(s) with 3 action(s)');
    await expect(waiting).rejects.toThrow('it answered a batch of 1 step(s) with 3 action(s)');
    expect(stream.failed).toBe(true);
  });
});
