import { Logger, type INestApplication } from '@nestjs/common';
import type { KeyringPair } from '@polkadot/keyring/types';
import { connectChain } from '#chain';
import { defaultScoringPolicy } from '#domain';
import { type EventReader, type EventStore } from '#eventing';
import { EVENT_READER, EVENT_STORE } from '#eventing/nest';
import type { WeightsConfig } from './config.js';
import { WeightSetter } from './weight-setter.js';

export interface RunningWeightSetting {
  readonly setter: WeightSetter;
  /** Stops following the chain (after the block in hand) and disconnects from the node. */
  close(): Promise<void>;
}

/** Connects to the node and starts the weight setter over the app's event store and reader. */
export const startWeightSetting = async (config: WeightsConfig, hotkey: KeyringPair, app: INestApplication): Promise<RunningWeightSetting> => {
  const chain = await connectChain(config.subtensorUrl, { connectTimeoutMs: config.connectTimeoutMs });
  const logger = new Logger(`Weights ${hotkey.address}`);
  try {
    const setter = new WeightSetter({
      netuid: config.netuid,
      hotkey,
      chain,
      store: app.get<EventStore>(EVENT_STORE),
      reader: app.get<EventReader>(EVENT_READER),
      scoring: { ...defaultScoringPolicy, ownerShare: config.ownerShare, burnUid: config.burnUid },
      policy: { intervalBlocks: config.intervalBlocks },
      logger,
    });
    const caughtUpTo = await setter.start();
    logger.log(
      `setting weights on netuid ${config.netuid} through ${config.subtensorUrl} (every ${config.intervalBlocks} blocks without news; owner share ${config.ownerShare} to uid ${config.burnUid}), log folded to sequence ${caughtUpTo}`,
    );
    return {
      setter,
      close: async () => {
        await setter.stop();
        await chain.close();
      },
    };
  } catch (error) {
    await chain.close();
    throw error;
  }
};
