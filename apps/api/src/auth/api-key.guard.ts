import {
  createParamDecorator,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import type { ApiKeyRole } from '#contracts';
import { clientAddress } from '../http/client-address.js';
import { AdminAuthFailures } from './admin-auth-failures.js';
import { AdminKeysService, type AdminIdentity } from './admin-keys.service.js';

type AdminRequest = IncomingMessage & { admin?: AdminIdentity; ip?: string };

/** `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export const presentedKey = ({ headers }: IncomingMessage): string | undefined => {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  const apiKey = headers['x-api-key'];
  return bearer?.[1] ?? (typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined);
};

const ROLES = 'kinitro:api-key-roles';
/** The roles a route (or controller) admits; without it, admin only. */
export const KeyRoles = (...roles: ApiKeyRole[]) => SetMetadata(ROLES, roles);

/**
 * The API key guard (put on a route with `@KeyRequired`): admin only unless the route or its controller admits more.
 * A key of another role is known but not allowed (403) and is not counted as a failed authentication.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: AdminKeysService,
    private readonly failures: AdminAuthFailures,
    private readonly reflector: Reflector,
  ) {}

  /** A blocked client is refused before its key is looked at: a right guess while blocked must not tell it so. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const client = clientAddress(request);
    await this.failures.refuseIfBlocked(client);
    const key = presentedKey(request);
    if (!key) throw new UnauthorizedException('an API key is required (Authorization: Bearer <key> or X-API-Key)');
    const admin = await this.keys.identify(key);
    if (!admin) {
      await this.failures.record(client);
      throw new UnauthorizedException('the API key is not valid');
    }
    const allowed = this.reflector.getAllAndOverride<ApiKeyRole[] | undefined>(ROLES, [context.getHandler(), context.getClass()]) ?? ['admin'];
    if (!allowed.includes(admin.role)) throw new ForbiddenException(`a ${admin.role} key may not do this; it needs one of: ${allowed.join(', ')}`);
    request.admin = admin;
    return true;
  }
}

/** The key holder the guard identified. */
export const Admin = createParamDecorator((_data: unknown, context: ExecutionContext): AdminIdentity => {
  const admin = context.switchToHttp().getRequest<AdminRequest>().admin;
  if (!admin) throw new UnauthorizedException('no admin identity: is the route guarded by ApiKeyGuard?');
  return admin;
});
