import { createParamDecorator, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../http/client-address.js';
import { AdminAuthFailures } from './admin-auth-failures.js';
import { AdminKeysService, type AdminIdentity } from './admin-keys.service.js';

type AdminRequest = IncomingMessage & { admin?: AdminIdentity; ip?: string };

/** `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
const presentedKey = ({ headers }: IncomingMessage): string | undefined => {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  const apiKey = headers['x-api-key'];
  return bearer?.[1] ?? (typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined);
};

@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(
    private readonly keys: AdminKeysService,
    private readonly failures: AdminAuthFailures,
  ) {}

  /** A blocked client is refused before its key is looked at: a right guess while blocked must not tell it so. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const client = clientAddress(request);
    await this.failures.refuseIfBlocked(client);
    const key = presentedKey(request);
    if (!key) throw new UnauthorizedException('an admin API key is required (Authorization: Bearer <key> or X-API-Key)');
    const admin = await this.keys.identify(key);
    if (!admin) {
      await this.failures.record(client);
      throw new UnauthorizedException('the API key is not valid');
    }
    request.admin = admin;
    return true;
  }
}

/** The admin the guard identified. */
export const Admin = createParamDecorator((_data: unknown, context: ExecutionContext): AdminIdentity => {
  const admin = context.switchToHttp().getRequest<AdminRequest>().admin;
  if (!admin) throw new UnauthorizedException('no admin identity: is the route guarded by AdminKeyGuard?');
  return admin;
});
