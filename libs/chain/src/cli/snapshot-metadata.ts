import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hexToU8a } from '@polkadot/util';
import WebSocket from 'ws';

/**
 * Writes a live node's runtime metadata (`state_getMetadata`, raw SCALE bytes) to a file, for the
 * test node (`SUBTENSOR_METADATA`) to serve the same runtime as the chain users run against.
 *
 *   node dist/libs/chain/src/cli/snapshot-metadata.js --ws wss://entrypoint-finney.opentensor.ai:443 --out finney.scale
 */
export const snapshotMetadata = async (url: string, out: string, timeoutMs = 30_000): Promise<{ bytes: number; specVersion: number }> => {
  const socket = new WebSocket(url);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const call = (id: number, method: string) =>
      new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${method}: no answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
        const onMessage = (data: WebSocket.RawData) => {
          const reply = JSON.parse((data as Buffer).toString()) as { id?: number; result?: unknown; error?: { message: string } };
          if (reply.id !== id) return;
          clearTimeout(timer);
          socket.off('message', onMessage);
          if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
          else resolve(reply.result);
        };
        socket.on('message', onMessage);
        socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params: [] }));
      });
    const metadata = hexToU8a(String(await call(1, 'state_getMetadata')));
    const version = (await call(2, 'state_getRuntimeVersion')) as { specVersion: number };
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, metadata);
    return { bytes: metadata.length, specVersion: version.specVersion };
  } finally {
    socket.close();
  }
};

const flag = (args: string[], name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const main = async (args: string[]): Promise<number> => {
  const url = flag(args, '--ws');
  const out = flag(args, '--out');
  if (!url || !out) {
    process.stderr.write('usage: snapshot-metadata --ws <ws(s)://node:port> --out <file.scale>\n');
    return 2;
  }
  const { bytes, specVersion } = await snapshotMetadata(url, out);
  process.stdout.write(`wrote ${bytes} bytes of metadata (spec ${specVersion}) from ${url} to ${out}\n`);
  return 0;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`snapshot-metadata: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
