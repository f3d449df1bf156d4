import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHub } from '#testing';
import { runCli } from '../cli.js';
import { commands } from '../commands.js';

const TOKEN = 'hf_cli_write';
const MINER = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
let hub: LocalHub;
let dir: string;
let api: Server;
let apiUrl: string;

const run = async (argv: string[], env: Record<string, string> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(commands, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, ...env } });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

beforeAll(async () => {
  hub = await LocalHub.start({ tokens: [TOKEN] });
  dir = await mkdtemp(join(tmpdir(), 'kinitro-cli-'));
  await writeFile(join(dir, 'serve.py'), 'print(1)\n');
  // An API that knows nothing: every list is empty.
  api = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [], total: 0, limit: 10, offset: 0 })),
  );
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await hub.close();
  await new Promise((resolve) => api.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('kinitro miner upload', () => {
  it('refuses a directory without kinitro.json before anything reaches the Hub', async () => {
    const before = hub.requests.length;
    const result = await run(['miner', 'upload', '--dir', dir, '--repo', 'me/agent']);
    expect(result).toMatchObject({ code: 1 });
    expect(result.err).toContain('kinitro.json is missing');
    expect(hub.requests.length).toBe(before);
  });

  it('uploads the directory, draws the phases, and prints the revision to commit', async () => {
    await writeFile(
      join(dir, 'kinitro.json'),
      JSON.stringify({ name: 'a', version: '0.1.0', protocol: 'grpc', agentApiVersion: 'v1', entrypoint: { command: 'python' } }),
    );
    const result = await run(['miner', 'upload', '--dir', dir, '--repo', 'me/agent']);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`to me/agent@${hub.head('me/agent')}`);
    expect(result.err).toMatch(/^done\s+\[#+\]\s+100%/m);
  });

  it('draws the bar in place on a terminal, cut to its width so a long file name cannot wrap the line', async () => {
    const drawn: string[] = [];
    const terminal = { isTTY: true, columns: 50, write: (text: string) => drawn.push(text) };
    const out: string[] = [];
    const code = await runCli(commands, ['miner', 'upload', '--dir', dir, '--repo', 'me/agent'], {
      out: (l) => out.push(l),
      err: () => {},
      env: { HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN },
      progress: terminal,
    });
    expect(code).toBe(0);
    // Frames between carriage returns, cursor moves and other control sequences.
    // The progress bar's ANSI escapes are what is split on.
    // eslint-disable-next-line no-control-regex
    const controls = /\r|\n|\x1b(?:\[[0-9;?]*[A-Za-z]|[78])/;
    const frames = drawn
      .join('')
      .split(controls)
      .filter((f) => f.trim());
    expect(frames.at(-1)).toMatch(/^done\s+\[#+\]\s+100%/);
    expect(Math.max(...frames.map((f) => f.length))).toBeLessThanOrEqual(50);
  });

  it('names the missing token when the Hub refuses the upload', async () => {
    const result = await run(['miner', 'upload', '--dir', dir, '--repo', 'me/other'], { HF_TOKEN: '' });
    expect(result.code).toBe(1);
    expect(result.err).toContain('HF_TOKEN');
  });
});

describe('kinitro miner status', () => {
  it('says when the miner has no submission (exit 3) and when the API cannot be reached (exit 1)', async () => {
    const none = await run(['miner', 'status', '--hotkey', MINER, '--api', apiUrl]);
    expect(none).toMatchObject({ code: 3, out: `miner ${MINER}: 0 submissions` });
    const down = await run(['miner', 'status', '--hotkey', MINER, '--api', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.err).toContain('cannot reach the API at http://127.0.0.1:9');
  });

  it('refuses a hotkey that is not an SS58 address, naming the flag', async () => {
    const result = await run(['miner', 'status', '--hotkey', 'alice', '--api', apiUrl]);
    expect(result).toMatchObject({ code: 2 });
    expect(result.err).toContain('--hotkey "alice" is not a Bittensor SS58 address: invalid base58 character');
  });
});
