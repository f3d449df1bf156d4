import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types/metadata/decorate';
import type { Storage } from '@polkadot/types/metadata/decorate/types';
import { u8aToHex } from '@polkadot/util';
import { SUBTENSOR_SIGNED_EXTENSIONS } from '#chain';

export const METADATA_FILE = 'finney-metadata-v16-spec393.scale';

/** The repository root: the nearest folder above this file (source or dist) that holds package.json. */
const repoRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
};

/** `SUBTENSOR_METADATA`, else `<repo root>/../shared/subtensor/finney-metadata-v16-spec393.scale`. */
export const defaultMetadataPath = (env: Record<string, string | undefined> = process.env): string =>
  env['SUBTENSOR_METADATA'] || resolve(repoRoot(), '..', 'shared', 'subtensor', METADATA_FILE);

export class MetadataMissingError extends Error {
  override readonly name = 'MetadataMissingError';
  constructor(readonly path: string) {
    super(
      `Subtensor runtime metadata not found at ${path}. Put the Finney metadata file (${METADATA_FILE}, see ` +
        `../shared/subtensor/PROVENANCE.md) there, point SUBTENSOR_METADATA at a copy, or snapshot one from a ` +
        `live node with: node dist/libs/chain/src/cli/snapshot-metadata.js --ws wss://entrypoint-finney.opentensor.ai:443 --out <file>`,
    );
  }
}

/** Runtime version fields the node reports; taken from the metadata's own `System.Version` constant. */
export interface RuntimeVersionJson {
  specName: string;
  specVersion: number;
  transactionVersion: number;
  [field: string]: unknown;
}

/** Real runtime metadata with the type registry built from it: every key and value the node serves comes from here. */
export interface SubtensorMetadata {
  path: string;
  bytes: Uint8Array;
  hex: `0x${string}`;
  registry: TypeRegistry;
  metadata: Metadata;
  storage: Storage;
  runtimeVersion: RuntimeVersionJson;
}

const cache = new Map<string, SubtensorMetadata>();

export const loadSubtensorMetadata = (path = defaultMetadataPath()): SubtensorMetadata => {
  const cached = cache.get(path);
  if (cached) return cached;
  if (!existsSync(path)) throw new MetadataMissingError(path);
  const bytes = new Uint8Array(readFileSync(path));
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, bytes);
  registry.setMetadata(metadata, undefined, SUBTENSOR_SIGNED_EXTENSIONS);
  const system = metadata.asLatest.pallets.find((p) => p.name.eq('System'));
  const version = system?.constants.find((c) => c.name.eq('Version'));
  if (!version) throw new Error(`metadata at ${path} has no System.Version constant`);
  const runtimeVersion = registry.createType(registry.createLookupType(version.type), version.value).toJSON() as unknown as RuntimeVersionJson;
  const loaded = { path, bytes, hex: u8aToHex(bytes), registry, metadata, storage: expandMetadata(registry, metadata).query, runtimeVersion };
  cache.set(path, loaded);
  return loaded;
};
