import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '#testing';

const run = promisify(execFile);
const UP = resolve('infra/s3/rgw-up.sh');
const DOWN = resolve('infra/s3/rgw-down.sh');
/** What rgw-up.sh runs: Debian's ceph-mon, ceph-osd and radosgw (and their admin tools). */
const TOOLS = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph', 'ceph-authtool', 'monmaptool', 'curl'];

const onPath = (tool: string): boolean =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** The tools rgw-up.sh needs that are not on PATH (none: a private RGW can start here). */
export const missingRgwTools = (): string[] => TOOLS.filter((tool) => !onPath(tool));

/**
 * A throwaway Ceph cluster of one test file (infra/s3/rgw-up.sh in a temporary directory, on free ports) whose
 * gateway can be stopped and started alone: the monitor and the memstore OSD keep running, so the users, buckets
 * and objects survive the outage, as they survive a restarted gateway in production.
 */
export class PrivateRgw {
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly endpoint: string,
    readonly accessKey: string,
    readonly secretKey: string,
  ) {}

  static async start(): Promise<PrivateRgw> {
    const dir = await mkdtemp(join(tmpdir(), 'kinitro-rgw-'));
    const [port, monPort] = [await freePort(), await freePort()];
    try {
      const { stdout } = await run(UP, ['--dir', dir, '--port', String(port), '--mon-port', String(monPort)], { timeout: 120_000 });
      const last = stdout.trim().split('\n').at(-1) ?? '';
      const fields = Object.fromEntries(last.split(' ').map((pair) => pair.split('=', 2) as [string, string]));
      const { S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY } = fields;
      if (!S3_ENDPOINT || !S3_ACCESS_KEY || !S3_SECRET_KEY) throw new Error(`rgw-up.sh printed no endpoint line: ${JSON.stringify(last)}`);
      return new PrivateRgw(dir, port, S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY);
    } catch (error) {
      await run(DOWN, ['--dir', dir]).catch(() => undefined);
      throw new Error(`cannot start Ceph RGW in ${dir} (its logs are removed with it): ${(error as Error).message}`, { cause: error });
    }
  }

  /** Kills the radosgw daemon and waits for it to exit: from now on the endpoint refuses connections. */
  async stopGateway(): Promise<void> {
    await run(DOWN, ['--dir', this.dir, '--gateway-only'], { timeout: 30_000 });
  }

  /** Starts the gateway again on the same cluster and port; resolves once it answers. */
  async startGateway(): Promise<void> {
    await run(UP, ['--dir', this.dir, '--port', String(this.port), '--gateway-only'], { timeout: 100_000 });
  }

  /** Stops every daemon and removes the directory. */
  async down(): Promise<void> {
    await run(DOWN, ['--dir', this.dir], { timeout: 60_000 });
  }
}
