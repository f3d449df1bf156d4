import { Inject, Injectable, Module, type CanActivate, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { ApiSettings } from '../api-config.js';
import { clientAddress } from './client-address.js';
import { secondsUntil, TooManyRequestsError } from './too-many-requests.error.js';

const RATE_LIMIT = Symbol('RATE_LIMIT');

/**
 * API_RATE_LIMIT requests per client address per API_RATE_LIMIT_WINDOW_S over every HTTP route together (a client
 * spreading its requests over routes gets no more). Every answer says where the client stands (X-RateLimit-*);
 * one over is 429 with Retry-After. The WebSocket gateway keeps its own limits. Counted in this process.
 */
@Injectable()
export class ClientRateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiterMemory;

  constructor(@Inject(RATE_LIMIT) private readonly settings: Pick<ApiSettings, 'API_RATE_LIMIT' | 'API_RATE_LIMIT_WINDOW_S'>) {
    this.limiter = new RateLimiterMemory({ keyPrefix: 'api-requests', points: settings.API_RATE_LIMIT, duration: settings.API_RATE_LIMIT_WINDOW_S });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const response = http.getResponse<ServerResponse>();
    const tell = (res: RateLimiterRes) => {
      response.setHeader('X-RateLimit-Limit', this.settings.API_RATE_LIMIT);
      response.setHeader('X-RateLimit-Remaining', res.remainingPoints);
      response.setHeader('X-RateLimit-Reset', secondsUntil(res));
    };
    try {
      tell(await this.limiter.consume(clientAddress(http.getRequest())));
      return true;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      tell(refusal);
      throw new TooManyRequestsError(
        `more than ${this.settings.API_RATE_LIMIT} requests in ${this.settings.API_RATE_LIMIT_WINDOW_S} s from this client`,
        secondsUntil(refusal),
      );
    }
  }
}

@Module({})
export class RateLimitModule {
  static forRoot(settings: Pick<ApiSettings, 'API_RATE_LIMIT' | 'API_RATE_LIMIT_WINDOW_S'>): DynamicModule {
    return {
      module: RateLimitModule,
      providers: [
        { provide: RATE_LIMIT, useValue: settings },
        { provide: APP_GUARD, useClass: ClientRateLimitGuard },
      ],
    };
  }
}
