import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { API_CONFIG, apiSettings, type ApiConfig } from '../api-config.js';
import { secondsUntil, TooManyRequestsError } from '../http/too-many-requests.error.js';

const blocked = (until: RateLimiterRes): TooManyRequestsError =>
  new TooManyRequestsError('too many failed admin authentications from this client; wait before trying again', secondsUntil(until));

/**
 * Failed admin authentications per client address: API_ADMIN_AUTH_FAILURES within API_ADMIN_AUTH_WINDOW_S, then the
 * address is refused for API_ADMIN_AUTH_BLOCK_S whatever key it presents, so guessing keys gets a handful of tries
 * per block and no answer while blocked. Counted in this process (one budget per API replica).
 */
@Injectable()
export class AdminAuthFailures {
  private readonly failures: RateLimiterMemory;
  private readonly allowed: number;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    const settings = apiSettings(config);
    this.allowed = settings.API_ADMIN_AUTH_FAILURES;
    this.failures = new RateLimiterMemory({
      keyPrefix: 'admin-auth-failures',
      points: this.allowed,
      duration: settings.API_ADMIN_AUTH_WINDOW_S,
      blockDuration: settings.API_ADMIN_AUTH_BLOCK_S,
    });
  }

  /** Throws 429 while the client is blocked. */
  async refuseIfBlocked(client: string): Promise<void> {
    const record = await this.failures.get(client);
    if (record && record.consumedPoints > this.allowed) throw blocked(record);
  }

  /** Counts a failure; throws 429 when it is one too many. */
  async record(client: string): Promise<void> {
    try {
      await this.failures.consume(client);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) throw blocked(refusal);
      throw refusal;
    }
  }
}
