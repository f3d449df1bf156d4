/** Where a monitor whose log holds no cursor for its subnet starts, and why (said at start-up). */
export interface FirstStart {
  /** The last block treated as handled: following starts at `after + 1`. */
  after: number;
  reason: string;
}

export interface StartSettings {
  /** `CHAIN_START_BLOCK`: an explicit first block. */
  startBlock?: number;
  /** `CHAIN_LOOKBACK_BLOCKS`: without a start block, start this many blocks before the finalized head. */
  lookbackBlocks: number;
}

/**
 * A first run starts at CHAIN_START_BLOCK, else at the finalized head minus CHAIN_LOOKBACK_BLOCKS:
 * block 1 would be a state gap on a pruned node and a replay from genesis on an archive node.
 */
export const firstStart = (settings: StartSettings, finalizedHead: number): FirstStart => {
  const empty = 'nothing of it in the log yet';
  if (settings.startBlock !== undefined) {
    const ahead = settings.startBlock > finalizedHead + 1 ? `, ahead of the finalized head ${finalizedHead}: waiting for it` : '';
    return { after: settings.startBlock - 1, reason: `${empty}; CHAIN_START_BLOCK=${settings.startBlock}${ahead}` };
  }
  const first = finalizedHead - settings.lookbackBlocks;
  if (first < 1)
    return { after: 0, reason: `${empty}; the chain's ${finalizedHead} finalized blocks are within CHAIN_LOOKBACK_BLOCKS=${settings.lookbackBlocks}` };
  return { after: first - 1, reason: `${empty}; the finalized head ${finalizedHead} minus CHAIN_LOOKBACK_BLOCKS=${settings.lookbackBlocks}` };
};
