import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '#platform';
import { loadChainMonitorConfig } from './config.js';

describe('loadChainMonitorConfig', () => {
  it('reads the subnet, the node and the sync interval, with the shared variables', () => {
    const config = loadChainMonitorConfig({ NETUID: '26', SUBTENSOR_WS_URL: 'wss://entrypoint-finney.opentensor.ai:443', KINITRO_NAMESPACE: 'demo' });
    expect(config).toMatchObject({
      NETUID: 26,
      SUBTENSOR_WS_URL: 'wss://entrypoint-finney.opentensor.ai:443',
      METAGRAPH_SYNC_BLOCKS: 100,
      NATS_URL: 'nats://127.0.0.1:4222',
      KINITRO_NAMESPACE: 'demo',
      KINITRO_STREAM_REPLICAS: 1,
      LOG_LEVEL: 'log',
    });
  });

  it('requires NETUID, as a subnet number', () => {
    expect(() => loadChainMonitorConfig({})).toThrow(/NETUID: is required/);
    expect(() => loadChainMonitorConfig({ NETUID: 'abc' })).toThrow(/NETUID: must be a subnet number/);
    expect(() => loadChainMonitorConfig({ NETUID: '70000' })).toThrow(/NETUID: must be a subnet number/);
  });

  it('stops with a message naming every bad variable, its own and shared ones', () => {
    const load = () => loadChainMonitorConfig({ NETUID: '-1', SUBTENSOR_WS_URL: 'http://node:9944', METAGRAPH_SYNC_BLOCKS: '0', NATS_URL: 'http://x' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/NETUID/);
    expect(load).toThrow(/SUBTENSOR_WS_URL: must be a URL with protocol ws: or wss:/);
    expect(load).toThrow(/METAGRAPH_SYNC_BLOCKS/);
    expect(load).toThrow(/NATS_URL/);
  });

  it('reads where a first run starts: CHAIN_START_BLOCK (unset by default) and CHAIN_LOOKBACK_BLOCKS (default 7200)', () => {
    expect(loadChainMonitorConfig({ NETUID: '1' })).toMatchObject({ CHAIN_LOOKBACK_BLOCKS: 7200 });
    expect(loadChainMonitorConfig({ NETUID: '1' }).CHAIN_START_BLOCK).toBeUndefined();
    expect(loadChainMonitorConfig({ NETUID: '1', CHAIN_START_BLOCK: '4200000', CHAIN_LOOKBACK_BLOCKS: '0' })).toMatchObject({
      CHAIN_START_BLOCK: 4_200_000,
      CHAIN_LOOKBACK_BLOCKS: 0,
    });
    expect(() => loadChainMonitorConfig({ NETUID: '1', CHAIN_START_BLOCK: '0' })).toThrow(/CHAIN_START_BLOCK/);
    expect(() => loadChainMonitorConfig({ NETUID: '1', CHAIN_LOOKBACK_BLOCKS: '-5' })).toThrow(/CHAIN_LOOKBACK_BLOCKS: must be a decimal integer/);
  });

  it('refuses a fractional sync interval', () => {
    expect(() => loadChainMonitorConfig({ NETUID: '1', METAGRAPH_SYNC_BLOCKS: '2.5' })).toThrow(/METAGRAPH_SYNC_BLOCKS: must be a decimal integer/);
  });
});
