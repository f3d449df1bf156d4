import { checkAddress, decodeAddress } from '@polkadot/util-crypto';

/** The SS58 prefix of Bittensor accounts ("substrate generic"), the only one the platform accepts. */
export const BITTENSOR_SS58_PREFIX = 42;

/** util-crypto's reasons, said for a person who pasted an address. */
const plain = (reason: string, prefix: number): string => {
  const mismatch = /^Prefix mismatch, expected \d+, found (\d+)$/.exec(reason);
  if (mismatch) return `it is an address of network prefix ${mismatch[1]}, not ${prefix}`;
  if (/found undefined|length/i.test(reason)) return 'it has the wrong length';
  if (/checksum/i.test(reason)) return 'its checksum does not match (a mistyped or truncated address?)';
  return reason.charAt(0).toLowerCase() + reason.slice(1);
};

/**
 * Why `address` is not an SS58 address with `prefix` (not base58, wrong length, wrong checksum, another
 * network's prefix), or undefined when it is one.
 */
export const ss58Problem = (address: string, prefix = BITTENSOR_SS58_PREFIX): string | undefined => {
  if (address === '') return 'it is empty';
  // decodeAddress first: it tells a wrong length or checksum apart, which checkAddress reports as some other prefix.
  try {
    decodeAddress(address);
  } catch (error) {
    return plain((error as Error).message.replace(/^Decoding .*?: /s, ''), prefix);
  }
  const [valid, reason] = checkAddress(address, prefix);
  return valid ? undefined : plain(reason ?? 'not an SS58 address', prefix);
};
