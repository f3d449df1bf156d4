import { describe, expect, it } from '@jest/globals';
import { ss58Problem } from './addresses.js';

// Alice's well-known public key as a Substrate-generic (prefix 42) and a Polkadot (prefix 0) address.
const ALICE_42 = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const ALICE_0 = '15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5';

describe('ss58Problem', () => {
  it('accepts a prefix-42 address', () => {
    expect(ss58Problem(ALICE_42)).toBeUndefined();
    expect(ss58Problem(ALICE_0, 0)).toBeUndefined();
  });

  it.each([
    [`${ALICE_42.slice(0, -1)}Z`, 'its checksum does not match (a mistyped or truncated address?)'],
    [ALICE_0, 'it is an address of network prefix 0, not 42'],
    [ALICE_42.slice(0, 40), 'it has the wrong length'],
    ['alice', 'invalid base58 character "l" (0x6c) at index 1'],
    ['', 'it is empty'],
  ])('says what is wrong with %j', (address, problem) => {
    expect(ss58Problem(address)).toBe(problem);
  });
});
