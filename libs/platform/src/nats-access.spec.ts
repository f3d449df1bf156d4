import { describe, expect, it } from '@jest/globals';
import { loadNatsAccess } from './config.js';

describe('loadNatsAccess', () => {
  it('reads no credentials when nothing is set (and an empty variable is unset)', () => {
    expect(loadNatsAccess({})).toEqual({});
    expect(loadNatsAccess({ NATS_NKEY_SEED_FILE: '', NATS_INBOX_PREFIX: '' })).toEqual({});
  });

  it('reads the seed file or the creds file, and the inbox prefix', () => {
    expect(loadNatsAccess({ NATS_NKEY_SEED_FILE: '/run/secrets/nats.nk', NATS_INBOX_PREFIX: '_INBOX_5Grw' })).toEqual({
      nkeySeedFile: '/run/secrets/nats.nk',
      inboxPrefix: '_INBOX_5Grw',
    });
    expect(loadNatsAccess({ NATS_CREDS: '/run/secrets/user.creds' })).toEqual({ credsFile: '/run/secrets/user.creds' });
  });

  it('refuses both credentials at once and an inbox prefix that is not one subject token, naming the variable', () => {
    expect(() => loadNatsAccess({ NATS_NKEY_SEED_FILE: 'a', NATS_CREDS: 'b' })).toThrow(/NATS_CREDS: give either NATS_CREDS or NATS_NKEY_SEED_FILE, not both/);
    for (const prefix of ['_INBOX.x', '_INBOX_*', '>', 'a b', '_INBOX_\u0000']) {
      expect(() => loadNatsAccess({ NATS_INBOX_PREFIX: prefix })).toThrow(/NATS_INBOX_PREFIX: must be one subject token/);
    }
  });
});
