import { isIPv6 } from 'node:net';

/** The first four groups of an IPv6 address (its /64), `::` expanded. */
const ipv6Prefix64 = (address: string): string => {
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
};

/**
 * Who a limit counts against: the client's address (behind API_TRUST_PROXY, the one the proxy reports). An IPv6
 * client counts by its /64, since one host holds a whole /64; an IPv4-mapped address counts as the IPv4 one.
 */
export const clientAddress = (request: { ip?: string }): string => {
  const ip = (request.ip ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return isIPv6(ip) ? ipv6Prefix64(ip.split('%', 1)[0]!) : ip;
};
