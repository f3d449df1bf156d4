/**
 * `npm run bench`: every bench in one run, each as a child process (`node dist/test/bench/<name>.js`), its output
 * passed through, its figures collected from its JSON result line (bench-result.ts), and docs/performance.md
 * written from them with the machine, the date and the load average beside each section.
 *
 *   node dist/test/bench/run-all.js [--quick] [--out FILE] [--json FILE] [--only ID,…] [--merge FILE]
 *     --quick: tiny sizes, to check the runner; the full mode is the documented one.
 *     --out:   the doc to write (default docs/performance.md); --json: also write the collected results there.
 *     --only:  run just these benches (eventing-small, api, evaluation, agent, eventing-large).
 *     --merge: an earlier run's --json file: its other benches' sections are kept, the ones run now replace
 *              theirs, and the file is rewritten (so one bench can be run again without the hour of the rest).
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RESULT_PREFIX } from './bench-result.js';
import { renderPerformanceDoc, type BenchRun, type PerformanceRun } from './performance-doc.js';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'docs/performance.md' },
    json: { type: 'string' },
    only: { type: 'string' },
    merge: { type: 'string' },
  },
});
const quick = options.quick;
const out = resolve(options.out);
const jsonOut = options.json ?? options.merge;

/**
 * Each bench and its arguments, full and quick; eventing twice, so memory and start-up show how they grow with N.
 * Emmett's rebuild at the small size only: at ~0.4k events/s here it would take 40 min of the 1M run. The longest
 * (1M events) last: the doc is rewritten after each bench, so a run stopped early keeps what it measured.
 */
const plan: { id: string; script: string; full: string[]; quick: string[] }[] = [
  { id: 'eventing-small', script: 'eventing.bench.js', full: ['--events', '100000'], quick: ['--events', '10000'] },
  {
    id: 'api',
    script: 'api.bench.js',
    full: ['--jobs', '100000', '--steps', '1000000', '--seconds', '5'],
    quick: ['--jobs', '2000', '--steps', '5000', '--seconds', '1'],
  },
  {
    id: 'evaluation',
    script: 'evaluation.bench.js',
    full: ['--processes', '1,2,4'],
    quick: ['--processes', '1', '--episodes', '1', '--steps', '20', '--every', '10'],
  },
  { id: 'agent', script: 'agent.bench.js', full: [], quick: ['--acts', '50', '--episodes', '1', '--starts', '1'] },
  { id: 'eventing-large', script: 'eventing.bench.js', full: ['--events', '1000000', '--no-emmett'], quick: ['--events', '20000', '--no-emmett'] },
];

const run = (script: string, args: string[]): Promise<BenchRun['output'] & { code: number }> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--expose-gc', resolve('dist/test/bench', script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      process.stdout.write(chunk);
      text += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const lines = text.split('\n');
      const results = lines.filter((l) => l.startsWith(RESULT_PREFIX)).map((l) => JSON.parse(l.slice(RESULT_PREFIX.length)) as Record<string, unknown>);
      done({
        code: code ?? 1,
        results,
        text: lines
          .filter((l) => !l.startsWith(RESULT_PREFIX))
          .join('\n')
          .trim(),
      });
    });
  });

/** The benches --only names, in the plan's order (all without it); an unknown name is an error naming it. */
const selected = (): typeof plan => {
  if (options.only === undefined) return plan;
  const names = options.only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !plan.some((step) => step.id === name));
  if (unknown.length) throw new Error(`--only: no bench named ${unknown.join(', ')} (there are ${plan.map((step) => step.id).join(', ')})`);
  return plan.filter((step) => names.includes(step.id));
};

/** The earlier run --merge names: its quick mode must be this one's, or the doc would mix sizes. */
const earlier = async (): Promise<PerformanceRun | undefined> => {
  if (options.merge === undefined) return undefined;
  const earlierRun = JSON.parse(await readFile(options.merge, 'utf8')) as PerformanceRun;
  if (earlierRun.quick !== quick) throw new Error(`--merge: ${options.merge} is a ${earlierRun.quick ? 'quick' : 'full'} run, this one is not`);
  return { ...earlierRun, started: new Date(earlierRun.started) };
};

const main = async () => {
  const steps = selected();
  const previous = await earlier();
  const started = previous?.started ?? new Date();
  const machine = previous?.machine ?? {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const runs: BenchRun[] = [];
  /** This run's benches in place of the earlier ones, in the plan's order. */
  const merged = (): BenchRun[] => plan.flatMap((step) => runs.find((r) => r.id === step.id) ?? previous?.runs.find((r) => r.id === step.id) ?? []);
  for (const step of steps) {
    const args = quick ? step.quick : step.full;
    const before = loadavg();
    console.log(`\n=== ${step.id}: node ${step.script} ${args.join(' ')} (load ${before.map((l) => l.toFixed(2)).join(' ')})`);
    const t = performance.now();
    const { code, ...output } = await run(step.script, args);
    runs.push({
      id: step.id,
      command: `node dist/test/bench/${step.script} ${args.join(' ')}`.trim(),
      code,
      seconds: (performance.now() - t) / 1000,
      loadBefore: before,
      loadAfter: loadavg(),
      output,
    });
    if (code !== 0) console.error(`${step.id} exited ${code}`);
    // The figures first: a long run's results survive a doc that fails to render.
    const doc: PerformanceRun = { quick, started, machine, runs: merged() };
    if (jsonOut) await writeFile(jsonOut, JSON.stringify(doc, null, 2));
    await writeFile(out, renderPerformanceDoc(doc));
  }
  console.log(`\nwrote ${out}${jsonOut ? ` and ${jsonOut}` : ''}`);
  if (runs.some((r) => r.code !== 0)) process.exitCode = 1;
};

await main();
