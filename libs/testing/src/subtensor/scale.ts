import type { Codec } from '@polkadot/types/types';
import { compactStripLength, u8aConcat, u8aToHex, hexToU8a } from '@polkadot/util';
import type { SubtensorMetadata } from './metadata.js';

export type Hex = `0x${string}`;

const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);

/**
 * SCALE encoding of storage keys, values and events with the metadata's own types, so whatever the
 * node serves is exactly what a real Subtensor node would serve for the same state.
 */
export class RuntimeCodec {
  constructor(readonly meta: SubtensorMetadata) {}

  get registry() {
    return this.meta.registry;
  }

  private entry(pallet: string, item: string) {
    const entry = this.meta.storage[lowerFirst(pallet)]?.[lowerFirst(item)];
    if (!entry) throw new Error(`metadata has no storage item ${pallet}.${item}`);
    return entry;
  }

  /** The storage key; decorated entries return it compact-length-prefixed, the RPC wants it bare. */
  key(pallet: string, item: string, ...args: unknown[]): Hex {
    return u8aToHex(compactStripLength(this.entry(pallet, item)(...args))[1]);
  }

  /** The key prefix of a map, optionally narrowed by its first key (e.g. a netuid). */
  prefix(pallet: string, item: string, ...args: unknown[]): Hex {
    return u8aToHex(this.entry(pallet, item).keyPrefix(...args));
  }

  private valueType(pallet: string, item: string): string {
    const type = this.entry(pallet, item).meta.type;
    return this.registry.createLookupType(type.isMap ? type.asMap.value : type.asPlain);
  }

  /** A storage item's value as its metadata type, e.g. to read a JSON value the way the runtime decodes it. */
  createValue(pallet: string, item: string, value: unknown): Codec {
    return this.registry.createType(this.valueType(pallet, item), value);
  }

  /** SCALE bytes via toU8a(): toHex() of an integer codec is its big-endian number, not its encoding. */
  encodeValue(pallet: string, item: string, value: unknown): Hex {
    return u8aToHex(this.createValue(pallet, item, value).toU8a());
  }

  /**
   * The value a `Default` item has when nothing is stored (the metadata's fallback, e.g.
   * `CommitRevealWeightsEnabled` is true), or undefined for an `Optional` item.
   */
  fallback(pallet: string, item: string): Hex | undefined {
    const meta = this.entry(pallet, item).meta;
    return meta.modifier.isOptional ? undefined : meta.fallback.toHex();
  }

  decodeValue<T extends Codec = Codec>(pallet: string, item: string, hex: Hex): T {
    return this.registry.createType(this.valueType(pallet, item), hexToU8a(hex)) as unknown as T;
  }

  private pallet(name: string) {
    const pallet = this.meta.metadata.asLatest.pallets.find((p) => p.name.eq(name));
    if (!pallet) throw new Error(`metadata has no pallet ${name}`);
    return pallet;
  }

  private variant(typeId: number, name: string, what: string) {
    const variant = this.registry.lookup.getSiType(typeId).def.asVariant.variants.find((v) => v.name.eq(name));
    if (!variant) throw new Error(`metadata has no ${what} ${name}`);
    return variant;
  }

  /**
   * A `RuntimeEvent` as bytes. GenericEvent cannot be built from a JSON object, so the event is
   * assembled from the pallet index, the variant index and each field encoded with its own type.
   */
  event(pallet: string, name: string, fields: readonly unknown[]): Uint8Array {
    const p = this.pallet(pallet);
    const variant = this.variant(p.events.unwrap().type.toNumber(), name, `event ${pallet}.${name}`);
    if (variant.fields.length !== fields.length) throw new Error(`${pallet}.${name} takes ${variant.fields.length} fields`);
    const encoded = variant.fields.map((f, i) => this.registry.createType(this.registry.createLookupType(f.type), fields[i]).toU8a());
    return u8aConcat(Uint8Array.of(p.index.toNumber(), variant.index.toNumber()), ...encoded);
  }

  /** `FrameSystemEventRecord` bytes: phase ApplyExtrinsic(index), the event, no topics. */
  eventRecord(extrinsicIndex: number, event: Uint8Array): Uint8Array {
    const phase = this.registry.createType('FrameSystemPhase', { ApplyExtrinsic: extrinsicIndex }).toU8a();
    return u8aConcat(phase, event, Uint8Array.of(0));
  }

  /** The `System.Events` value for a block: a SCALE vector of records. */
  events(records: readonly Uint8Array[]): Hex {
    return u8aToHex(u8aConcat(this.registry.createType('Compact<u32>', records.length).toU8a(), ...records));
  }

  /** `DispatchError::Module` for a pallet's named error, as the runtime reports it. */
  moduleError(pallet: string, error: string): { Module: { index: number; error: Hex } } {
    const p = this.pallet(pallet);
    const variant = this.variant(p.errors.unwrap().type.toNumber(), error, `error ${pallet}.${error}`);
    return { Module: { index: p.index.toNumber(), error: u8aToHex(Uint8Array.of(variant.index.toNumber(), 0, 0, 0)) } };
  }
}
