import type { RecordedOneOf } from './decider.js';

export interface Neuron {
  uid: number;
  validatorPermit: boolean;
}

/** The latest MetagraphSynced of one subnet, as process managers keep it: hotkey → neuron. */
export interface Metagraph {
  lastSequence: number;
  block: number;
  neurons: Map<string, Neuron>;
}

/** The metagraph after `event`: undefined when it is another subnet's or not newer than `current`. */
export const nextMetagraph = (current: Metagraph | null, netuid: number, event: RecordedOneOf<'MetagraphSynced'>): Metagraph | undefined => {
  if (event.data.netuid !== netuid || (current && current.lastSequence >= event.streamSequence)) return undefined;
  return {
    lastSequence: event.streamSequence,
    block: event.data.block,
    neurons: new Map(event.data.neurons.map((n) => [n.hotkey, { uid: n.uid, validatorPermit: n.validatorPermit }])),
  };
};
