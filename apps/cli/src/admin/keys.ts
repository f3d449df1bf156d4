import { callApi } from '../api-client.js';
import { UsageError, type FlagSpecs } from '../args.js';
import { command, EXIT, type CliIo } from '../command.js';

/** The roles apps/api issues (libs/contracts apiKeyRoles); the API refuses any other with a 400 naming `role`. */
const ROLES = ['admin', 'validator', 'viewer'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const common = {
  api: { kind: 'value', env: 'KINITRO_API_URL', default: 'http://127.0.0.1:3000', description: 'Kinitro API base URL' },
  'api-key': { kind: 'value', env: 'KINITRO_API_KEY', required: true, description: 'an admin API key' },
  json: { kind: 'switch', description: 'print JSON instead of text' },
} satisfies FlagSpecs;

interface IssuedKey {
  keyId: string;
  key: string;
  name: string;
  role: string;
  issuedBy: string;
}
interface ListedKey {
  keyId: string;
  name: string;
  role: string;
  issuedBy: string | null;
  issuedAt: string;
  revoked: boolean;
  revokedAt: string | null;
  legacy: boolean;
}

const role = (value: string | undefined): string | undefined => {
  if (value !== undefined && !(ROLES as readonly string[]).includes(value)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, not "${value}"`);
  return value;
};

export const adminKeyCreate = command({
  path: ['admin', 'key', 'create'],
  summary: 'issue an API key with a role; the key is printed once, with its id',
  flags: {
    ...common,
    name: { kind: 'value', required: true, description: 'what the key is for (shown in lists and in the events it signs)' },
    role: { kind: 'value', required: true, description: `one of ${ROLES.join(', ')}` },
  },
  async run(flags, io: CliIo) {
    const body = { name: flags.name!, role: role(flags.role)! };
    const issued = await callApi<IssuedKey>(flags.api!, 'POST', '/api/v1/admin/keys', { key: flags['api-key'], body });
    if (flags.json) io.out(JSON.stringify(issued));
    else {
      io.out(`key id: ${issued.keyId}`);
      io.out(`role:   ${issued.role}`);
      io.out(`key:    ${issued.key}`);
      io.err('Store the key now: it is not shown again, and the API keeps only a salted hash of it.');
    }
    return EXIT.ok;
  },
});

export const adminKeyList = command({
  path: ['admin', 'key', 'list'],
  summary: 'list API keys: id, name, role, issuer, whether revoked (never key material)',
  flags: {
    ...common,
    role: { kind: 'value', description: 'only keys of this role' },
    revoked: { kind: 'switch', description: 'revoked keys only (default: live keys only)' },
  },
  async run(flags, io: CliIo) {
    const query = new URLSearchParams({ revoked: String(flags.revoked), limit: '200' });
    const only = role(flags.role);
    if (only) query.set('role', only);
    const page = await callApi<{ items: ListedKey[]; total: number }>(flags.api!, 'GET', `/api/v1/admin/keys?${query.toString()}`, { key: flags['api-key'] });
    if (flags.json) io.out(JSON.stringify(page));
    else {
      for (const k of page.items) {
        const notes = [k.revoked ? `revoked ${k.revokedAt}` : '', k.legacy ? 'legacy: refused, issue a new one' : ''].filter(Boolean).join('; ');
        io.out(`${k.keyId}  ${k.role.padEnd(9)} ${k.name}  issued ${k.issuedAt} by ${k.issuedBy ?? '?'}${notes ? `  (${notes})` : ''}`);
      }
      io.out(`${page.total} key(s)`);
    }
    return page.items.length === 0 ? EXIT.notFound : EXIT.ok;
  },
});

export const adminKeyRevoke = command({
  path: ['admin', 'key', 'revoke'],
  summary: 'revoke an API key by id: it stops working at once',
  flags: { ...common, id: { kind: 'value', required: true, description: 'the key id (create and list print it)' } },
  async run(flags, io: CliIo) {
    if (!UUID.test(flags.id!)) throw new UsageError(`--id must be a key id (a UUID), not "${flags.id}"`);
    const accepted = await callApi<{ events: { streamSequence: number }[] }>(flags.api!, 'POST', `/api/v1/admin/keys/${flags.id}/revoke`, {
      key: flags['api-key'],
    });
    if (flags.json) io.out(JSON.stringify(accepted));
    else io.out(`revoked ${flags.id} (event at stream sequence ${accepted.events[0]?.streamSequence})`);
    return EXIT.ok;
  },
});
