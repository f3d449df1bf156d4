import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm run bench -- --quick` end to end (the built runner, `npm test` builds first): every bench runs at tiny sizes
 * and the doc and the JSON come out with every section, its figures and the load average beside them.
 * No figure is judged here: performance is read from the doc, as ratios to the same run's baselines.
 */
const runQuick = (out: string, json: string): Promise<number | null> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve('dist/test/bench/run-all.js'), '--quick', '--out', out, '--json', json], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', fail);
    child.on('close', done);
  });

describe('npm run bench --quick', () => {
  it('writes the performance doc and JSON with every section', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kinitro-bench-runner-'));
    try {
      const code = await runQuick(join(dir, 'performance.md'), join(dir, 'performance.json'));
      const doc = await readFile(join(dir, 'performance.md'), 'utf8');
      const json = JSON.parse(await readFile(join(dir, 'performance.json'), 'utf8')) as { runs: { id: string; code: number; output: { results: { bench: string; loadavg: number[] }[]; text: string } }[] };

      expect(json.runs.map((r) => [r.id, r.code])).toEqual([
        ['eventing-small', 0],
        ['eventing-large', 0],
        ['api', 0],
        ['evaluation', 0],
        ['agent', 0],
      ]);
      expect(code).toBe(0);
      const benches = json.runs.flatMap((r) => r.output.results.map((result) => result.bench));
      expect(benches).toEqual(['eventing', 'eventing', 'api', 'evaluation']);
      for (const r of json.runs.flatMap((run) => run.output.results)) expect(r.loadavg).toHaveLength(3);
      for (const heading of ['## How to reproduce', '## Eventing', '### 10.0k events', '### 20.0k events', '## API under load', '## Evaluation', '## Agent `Act` overhead']) {
        expect(doc).toContain(heading);
      }
      expect(doc).toContain('publish → visible in Postgres at 100 events/s');
      expect(doc).toContain('replay peak memory');
      expect(doc).toContain('episode with frame URLs');
      expect(doc).toContain('episodes/min');
      expect(doc).toContain('load average');
      expect(doc).not.toContain('exited');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 15 * 60_000);
});
