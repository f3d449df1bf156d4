import { ss58Flag, type FlagSpecs } from '../args.js';
import { command, EXIT } from '../command.js';
import { chainFlags, netuidOf, withChain } from './chain-flags.js';

const flags = {
  hotkey: { kind: 'value', required: true, description: 'SS58 address of the hotkey' },
  ...chainFlags,
  json: { kind: 'switch', description: 'print one JSON object instead of text' },
} satisfies FlagSpecs;

export const minerShowCommitment = command({
  path: ['miner', 'show-commitment'],
  summary: 'show a hotkey’s commitment at the finalized head and how the platform reads it',
  flags,
  async run(f, io) {
    const netuid = netuidOf(f.netuid);
    await ss58Flag('hotkey', f.hotkey!);
    // One import at a time: jest's ESM loader races on modules two concurrent imports share.
    const { decodeCommitment } = await import('#domain');
    const { u8aToHex } = await import('@polkadot/util');
    return withChain(f, async (chain) => {
      const head = await chain.finalizedHead();
      const record = await chain.commitmentAt(head.hash, netuid, f.hotkey!);
      if (!record) {
        if (f.json) io.out(JSON.stringify({ netuid, hotkey: f.hotkey, head: head.number, commitment: null }));
        else io.out(`no commitment for ${f.hotkey} on netuid ${netuid} at block ${head.number}`);
        return EXIT.notFound;
      }
      const decoded = decodeCommitment(record.raw);
      const text = new TextDecoder('utf-8', { fatal: false }).decode(record.raw);
      if (f.json) {
        io.out(
          JSON.stringify({
            netuid,
            hotkey: f.hotkey,
            head: head.number,
            block: record.block,
            raw: u8aToHex(record.raw),
            ...(decoded.ok ? { commitment: decoded.value } : { rejection: decoded.rejection }),
          }),
        );
      } else {
        io.out(`hotkey ${f.hotkey} on netuid ${netuid}: committed at block ${record.block} (finalized head ${head.number})`);
        io.out(`raw: ${JSON.stringify(text)}`);
        io.out(
          decoded.ok
            ? `competition ${decoded.value.competitionId}, repo ${decoded.value.repo}, revision ${decoded.value.revision}`
            : `the platform rejects it: ${decoded.rejection.reason} (${decoded.rejection.detail})`,
        );
      }
      return EXIT.ok;
    });
  },
});
