import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { SubtensorTestNode } from './test-node.js';

const USAGE = `usage: node dist/libs/testing/src/subtensor/main.js [flags]
  --port <n>               WebSocket port (default 9944; 0 picks a free one)
  --host <addr>            interface to listen on (default 127.0.0.1)
  --netuid <n>             subnet to seed with the dev accounts (default 1)
  --block-time-ms <n>      produce an empty block this often (default 1000; 0 = only on extrinsics)
  --state-retention <n>    blocks whose state is kept (default 256)
  --metadata <file>        runtime metadata (default SUBTENSOR_METADATA or ../shared/subtensor/…)
  --no-commit-reveal       set weights directly (default: commit-reveal on, as on Finney)
  --weights-rate-limit <n> WeightsSetRateLimit in blocks (default 100, Finney's)
Seeds //Alice as a validator (permit, stake) and //Bob, //Charlie, //Dave as miners on the subnet.`;

const int = (name: string, value: string): number => {
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a non-negative integer, not "${value}"`);
  return Number(value);
};

const main = async (argv: string[]): Promise<void> => {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '9944' },
      host: { type: 'string', default: '127.0.0.1' },
      netuid: { type: 'string', default: '1' },
      'block-time-ms': { type: 'string', default: '1000' },
      'state-retention': { type: 'string', default: '256' },
      metadata: { type: 'string' },
      'no-commit-reveal': { type: 'boolean', default: false },
      'weights-rate-limit': { type: 'string', default: '100' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  await cryptoWaitReady();
  const node = await SubtensorTestNode.start({
    port: int('port', values.port),
    host: values.host,
    metadataPath: values.metadata,
    blockTimeMs: int('block-time-ms', values['block-time-ms']),
    stateRetention: int('state-retention', values['state-retention']),
    subnetDefaults: { commitRevealWeightsEnabled: !values['no-commit-reveal'], weightsSetRateLimit: int('weights-rate-limit', values['weights-rate-limit']) },
  });
  const netuid = int('netuid', values.netuid);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const [alice, ...miners] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((uri) => keyring.addFromUri(uri).address) as [string, ...string[]];
  node.registerNeuron({ netuid, hotkey: alice, coldkey: alice, stake: 1_000_000_000_000n, validatorPermit: true });
  for (const miner of miners) node.registerNeuron({ netuid, hotkey: miner, coldkey: miner });
  process.stdout.write(`Subtensor test node at ${node.url} (netuid ${netuid}: validator ${alice}, miners ${miners.join(', ')})\n`);
  const shutdown = () => void node.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`subtensor test node: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(1);
  });
}
