import { connectChain } from '#chain';
import type { RecordedEvent, RecordedEventOf } from '#contracts';
import { scoringInputs } from '#domain';
import { type EventReader } from '#eventing';
import { EVENT_READER } from '#eventing/nest';
import { eventually } from '#testing';
import type { Platform } from '../support/platform.js';

type Say = (line: string) => void;

export interface WeightsReport {
  scores: RecordedEventOf<'ScoresComputed'>['data'];
  computed: RecordedEventOf<'WeightsComputed'>['data'];
  set: RecordedEventOf<'WeightsSet'>['data'];
  /** `SubtensorModule.Weights(netuid, uid of //Alice)` at the WeightsSet's block, read back from the chain. */
  stored: [number, number][];
  limits: { minAllowedWeights: number; maxWeightsLimit: number; neurons: number };
}

const readAll = async (reader: EventReader, types: readonly RecordedEvent['type'][]): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const item of reader.read({ fromSequence: 1, types })) if (item.ok) events.push(item.event);
  return events;
};

/**
 * Waits until the validator //Alice has set weights on the test chain for every result in the log (a `WeightsSet`
 * as of the last scoring input that is not a metagraph snapshot), then reads the chain's stored weights back at
 * that block and prints scores, the computed vector, what was set and what the chain holds.
 */
export const watchWeights = async (platform: Platform, say: Say): Promise<WeightsReport> => {
  const reader = platform.api.get<EventReader>(EVENT_READER);
  const alice = platform.hotkeys.alice;
  const aggregateId = `${platform.netuid}:${alice}`;
  const inputs = await readAll(reader, scoringInputs);
  const lastNews = Math.max(...inputs.filter((e) => e.type !== 'MetagraphSynced').map((e) => e.streamSequence));
  const { scores, computed, set } = await eventually(
    `the validator to set weights as of sequence ${lastNews} or later`,
    async () => {
      const own = (await readAll(reader, ['ScoresComputed', 'WeightsComputed', 'WeightsSet'])).filter((e) => e.aggregateId === aggregateId);
      const set = own.findLast((e): e is RecordedEventOf<'WeightsSet'> & RecordedEvent => e.type === 'WeightsSet' && e.data.upToSequence >= lastNews);
      if (!set) return undefined;
      const at = (type: 'ScoresComputed' | 'WeightsComputed') => own.findLast((e) => e.type === type && e.data.upToSequence === set.data.upToSequence)!;
      return {
        set: set.data,
        scores: (at('ScoresComputed') as RecordedEventOf<'ScoresComputed'>).data,
        computed: (at('WeightsComputed') as RecordedEventOf<'WeightsComputed'>).data,
      };
    },
    60_000,
  );

  const chain = await connectChain(platform.node.url, { connectTimeoutMs: 10_000 });
  try {
    const hash = await chain.blockHash(set.block);
    const { minAllowedWeights, maxWeightsLimit, neurons } = await chain.hyperparameters(platform.netuid, hash);
    const uid = await chain.uidAt(hash!, platform.netuid, alice);
    const stored = ((await (await chain.api.at(hash!)).query['subtensorModule']!['weights']!(platform.netuid, uid)).toJSON() ?? []) as [number, number][];

    say(`\nscores as of stream sequence ${scores.upToSequence} (validator //Alice, ScoresComputed):`);
    for (const s of scores.scores)
      say(`  uid ${s.uid} ${s.hotkey.slice(0, 8)}… ${s.role ?? ''}${s.rank ? ` #${s.rank}` : ''} score ${s.score}: ${s.reason ?? ''}`);
    say(`WeightsComputed: ${computed.uids.map((u, i) => `uid ${u} = ${computed.weights[i]}`).join(', ') || 'empty'}`);
    say(
      `chain limits at block ${set.block}: MinAllowedWeights ${minAllowedWeights}, MaxWeightsLimit ${maxWeightsLimit}, ${neurons} neurons${neurons < minAllowedWeights ? ' (fewer than MinAllowedWeights: the SDK rule sends every neuron the same weight)' : ''}`,
    );
    say(`WeightsSet: set_weights in block ${set.block} (extrinsic ${set.extrinsicHash}): ${set.uids.map((u, i) => `uid ${u} = ${set.weights[i]}`).join(', ')}`);
    const same = JSON.stringify(stored) === JSON.stringify(set.uids.map((u, i) => [u, set.weights[i]]));
    say(
      `chain SubtensorModule.Weights(${platform.netuid}, ${uid}) at block ${set.block}: ${stored.map(([u, w]) => `uid ${u} = ${w}`).join(', ')} — ${same ? 'what WeightsSet says' : 'DIFFERENT from WeightsSet'}`,
    );
    return { scores, computed, set, stored, limits: { minAllowedWeights, maxWeightsLimit, neurons } };
  } finally {
    await chain.close();
  }
};
