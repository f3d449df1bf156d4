import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands a handler's error to JetStreamServer as thrown. Nest's default RPC filter logs it and replaces it with
 * "Internal server error", so a RetryableError would reach the consumer runner as an unknown failure (logged as
 * unexpected on every retry). `@UseFilters(RethrowErrorsFilter)` on a controller of `@OnEvent` handlers keeps it.
 */
@Catch()
export class RethrowErrorsFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
