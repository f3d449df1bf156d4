import { intFlag, ss58Flag, UsageError, type FlagSpecs } from '../args.js';
import { command, EXIT, type CliIo } from '../command.js';
import type { WeightLimits } from '#chain';
import { withChain } from '../miner/chain-flags.js';
import type { AuditLog } from './log-source.js';
import type { AsOf, U16Weights, ValidatorAudit } from './weights-audit.js';

const flags = {
  'as-of': { kind: 'value', required: true, description: 'the audit point: a stream sequence (1234) or block:<number> (block:5678)' },
  netuid: { kind: 'value', env: 'NETUID', required: true, description: 'subnet id' },
  validator: { kind: 'value', description: 'only this validator (SS58 hotkey); default every validator with weights at that point' },
  nats: { kind: 'value', description: 'read the log from this NATS server (e.g. nats://127.0.0.1:4222)' },
  namespace: { kind: 'value', env: 'KINITRO_NAMESPACE', default: 'kinitro', description: 'with --nats: the platform namespace whose events stream to read' },
  api: { kind: 'value', description: 'read the log through this Kinitro API’s audit routes instead (e.g. http://127.0.0.1:3000)' },
  'owner-share': { kind: 'value', default: '0', description: 'the scoring policy’s owner share (0 to 1) the validators run' },
  'burn-uid': { kind: 'value', default: '0', description: 'the scoring policy’s burn uid' },
  ws: { kind: 'value', env: 'SUBTENSOR_WS_URL', description: 'Subtensor node to compare SubtensorModule.Weights with (skipped when absent)' },
  timeout: { kind: 'value', default: '15', description: 'seconds to keep trying to reach the node' },
  json: { kind: 'switch', description: 'print one JSON object instead of text' },
} satisfies FlagSpecs;

/**
 * The re-derived weights as set_weights sends them: fitted to the chain's MinAllowedWeights and MaxWeightsLimit at the
 * block the set was made against, then u16-quantised. Without the chain those limits are unknown (undefined).
 */
const fitter = async () => {
  const { weightsForChain } = await import('#chain');
  return (limits: WeightLimits | undefined) =>
    (derivation: { weights: { uids: number[]; weights: number[] } }): U16Weights | undefined => {
      if (!limits) return undefined;
      const { uids, weights } = derivation.weights;
      return uids.length === 0
        ? { uids: [], values: [] }
        : weightsForChain(
            uids.map((uid, i) => ({ uid, weight: weights[i]! })),
            limits,
          );
    };
};

const describeAsOf = (asOf: AsOf) => (asOf.kind === 'sequence' ? `sequence ${asOf.sequence}` : `block ${asOf.block}`);

const print = (io: CliIo, netuid: number, asOf: AsOf, log: AuditLog, audits: ValidatorAudit[], chainCompared: boolean) => {
  io.out(`audit of weights on netuid ${netuid} as of ${describeAsOf(asOf)} (log read to sequence ${log.lastSequence}, ${log.events.length} input events)`);
  for (const p of log.poison) io.out(`warning: sequence ${p.streamSequence} is not an event and was not folded: ${p.reason}`);
  for (const { target, derivation, checks } of audits) {
    io.out(`validator ${target.validator}: re-derived from the log up to sequence ${target.upToSequence}`);
    io.out(`  weights: uids [${derivation.weights.uids.join(', ')}] weights [${derivation.weights.weights.join(', ')}]`);
    io.out('  hash chain (each link: sha256 of its stage’s canonical JSON followed by the previous link):');
    for (const [link, hash] of Object.entries(derivation.chain)) io.out(`    ${link.padEnd(11)} ${hash}`);
    for (const check of checks) io.out(`  ${check.ok === false ? 'MISMATCH' : check.ok ? 'agrees  ' : 'skipped '} ${check.subject}: ${check.detail}`);
    if (!chainCompared) io.out('  skipped  chain: no --ws (or SUBTENSOR_WS_URL) given');
  }
  const mismatches = audits.flatMap((a) => a.checks.filter((c) => c.ok === false));
  io.out(mismatches.length === 0 ? 'result: every check agrees' : `result: ${mismatches.length} mismatch${mismatches.length === 1 ? '' : 'es'}`);
};

export const auditWeights = command({
  path: ['audit', 'weights'],
  summary: 're-derive scores and weights from the log and compare them with the log’s WeightsComputed and the chain’s Weights',
  flags,
  async run(f, io) {
    const { parseAsOf, policyOf, auditTargets, auditAgainstLog, chainCheck } = await import('./weights-audit.js');
    const { defaultScoringPolicy } = await import('#domain');
    const asOf = parseAsOf(f['as-of']!);
    const policy = policyOf(defaultScoringPolicy, f['owner-share']!, f['burn-uid']!);
    const netuid = intFlag('netuid', f.netuid!);
    if (f.validator) await ss58Flag('validator', f.validator);
    if (Boolean(f.nats) === Boolean(f.api)) throw new UsageError('give exactly one of --nats <url> (read the log from NATS) and --api <url> (through the API)');
    const { readLogFromApi, readLogFromNats } = await import('./log-source.js');
    const log = f.nats ? await readLogFromNats(f.nats, f.namespace!) : await readLogFromApi(f.api!);
    const targets = auditTargets(log.events, netuid, asOf, f.validator);
    if (targets.length === 0) {
      const what = asOf.kind === 'sequence' ? 'WeightsComputed recorded at or before it' : 'WeightsSet included at or before it';
      if (f.json) io.out(JSON.stringify({ netuid, asOf, audits: [] }));
      else io.out(`nothing to audit on netuid ${netuid} as of ${describeAsOf(asOf)}: no ${what}${f.validator ? ` by ${f.validator}` : ''}`);
      return EXIT.notFound;
    }
    const fit = await fitter();
    const onChain = targets.filter((t) => t.chainBlock !== undefined);
    // Per target: the chain's limits and its stored weights at the set's block (read only with --ws).
    const chainState = new Map<(typeof targets)[number], { limits: WeightLimits; stored: U16Weights | undefined } | string>();
    if (f.ws && onChain.length > 0) {
      await withChain({ ws: f.ws, timeout: f.timeout }, async (chain) => {
        for (const target of onChain) {
          const block = target.chainBlock!;
          const hash = await chain.blockHash(block);
          // The set was processed against the state before its block.
          const before = block > 0 ? await chain.blockHash(block - 1) : hash;
          if (!hash || !before) {
            chainState.set(target, `the node has no block ${block}`);
            continue;
          }
          const limits = await chain.hyperparameters(netuid, before);
          const uid = await chain.uidAt(hash, netuid, target.validator);
          chainState.set(target, { limits, stored: uid === undefined ? undefined : await chain.storedWeightsAt(hash, netuid, uid) });
        }
      });
    }
    const audits = targets.map((target) => {
      const state = chainState.get(target);
      const quantise = fit(typeof state === 'object' ? state.limits : undefined);
      const audit = auditAgainstLog(log.events, netuid, target, quantise, policy);
      if (typeof state === 'string') audit.checks.push({ subject: 'chain', ok: false, detail: state });
      else if (state) audit.checks.push(chainCheck(target.chainBlock!, state.stored, quantise(audit.derivation)!));
      return audit;
    });
    for (const audit of audits) {
      if (audit.target.chainBlock === undefined && f.ws)
        audit.checks.push({ subject: 'chain', ok: null, detail: 'no WeightsSet of this computation in the log: nothing on chain to compare' });
    }
    if (f.json) {
      io.out(
        JSON.stringify({
          netuid,
          asOf,
          lastSequence: log.lastSequence,
          poison: log.poison,
          audits: audits.map(({ target, derivation, checks }) => ({
            validator: target.validator,
            upToSequence: target.upToSequence,
            weights: derivation.weights,
            chain: derivation.chain,
            checks,
          })),
        }),
      );
    } else {
      print(io, netuid, asOf, log, audits, Boolean(f.ws));
    }
    return audits.some((a) => a.checks.some((c) => c.ok === false)) ? EXIT.failed : EXIT.ok;
  },
});
