import type { Topology } from '#contracts';
import { validatorDurable } from '#contracts';
import {
  AccessConfigError,
  requireConsumerName,
  requireUserNkey,
  validatorPermissions,
  type UserPermissions,
  type ValidatorUser,
} from './validator-permissions.js';

/**
 * Durables of the owner's apps on the events stream (the scheduler's today). A validator's ordered reads may create
 * consumers of any other name, so every durable the owner runs must be listed here or given with `ownerConsumers`.
 */
export const OWNER_EVENT_CONSUMERS: readonly string[] = ['scheduler'];

export interface AuthorizationSpec {
  topology: Topology;
  netuids: readonly number[];
  /** Public nkeys of the owner's apps: no permissions block, so they may do everything. */
  owners: readonly string[];
  validators: readonly ValidatorUser[];
  /** Further owner durables on the events stream, beside OWNER_EVENT_CONSUMERS. */
  ownerConsumers?: readonly string[];
}

export interface NkeyUser {
  nkey: string;
  permissions?: UserPermissions;
}

/** nats-server's `authorization` block: one nkey user per owner app key and per validator operator. */
export interface Authorization {
  users: NkeyUser[];
}

const requireUnique = (field: string, values: readonly string[]): void => {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new AccessConfigError(field, value, 'is given twice');
    seen.add(value);
  }
};

/**
 * The users the owner adds to nats-server. Each validator's user may not touch the durables of the owner or of any
 * other validator listed here, so the block is generated for every validator at once, and again when one joins.
 */
export const natsAuthorization = (spec: AuthorizationSpec): Authorization => {
  if (spec.owners.length === 0) throw new AccessConfigError('owner nkey', '', 'is required: the owner apps need a user of their own');
  spec.owners.forEach((nkey) => requireUserNkey('owner nkey', nkey));
  requireUnique(
    'validator hotkey',
    spec.validators.map((v) => v.hotkey),
  );
  requireUnique('nkey', [...spec.owners, ...spec.validators.map((v) => v.nkey)]);
  const ownerConsumers = [...OWNER_EVENT_CONSUMERS, ...(spec.ownerConsumers ?? []).map((name) => requireConsumerName('owner consumer', name))];
  const everyValidator = spec.validators.map((v) => validatorDurable(v.hotkey));
  return {
    users: [
      ...spec.owners.map((nkey) => ({ nkey })),
      ...spec.validators.map((validator) => ({
        nkey: validator.nkey,
        permissions: validatorPermissions({
          topology: spec.topology,
          netuids: spec.netuids,
          validator,
          reservedConsumers: [...ownerConsumers, ...everyValidator],
        }),
      })),
    ],
  };
};

/**
 * The block as nats-server configuration: JSON is valid there, with every subject quoted (an unquoted `$JS…` would
 * be read as a variable). The owner `include`s the file from the server's configuration.
 */
export const renderAuthorization = (authorization: Authorization, comment: string): string =>
  `${comment
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n')}\nauthorization: ${JSON.stringify(authorization, null, 2)}\n`;
