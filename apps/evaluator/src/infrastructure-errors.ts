import { JetStreamApiError, JetStreamError } from '@nats-io/jetstream';
import { ConnectionError, NoRespondersError, RequestError, TimeoutError } from '@nats-io/transport-node';
import { EventStoreError } from '#eventing';
import { HubAuthError, HubError, ObjectStoreError } from '#storage';

/**
 * Errors that say a service the evaluator depends on failed, not the agent and not a bug: the Hub down or serving
 * bytes that do not match their checksum (HubAuthError: our credentials, an operator must act), the object store,
 * the event store, NATS itself. A fresh attempt may go through.
 */
export const isInfrastructureError = (error: unknown): boolean =>
  (error instanceof HubError && (error.retryable || error instanceof HubAuthError)) ||
  error instanceof ObjectStoreError ||
  error instanceof EventStoreError ||
  error instanceof JetStreamError ||
  error instanceof JetStreamApiError ||
  error instanceof ConnectionError ||
  error instanceof TimeoutError ||
  error instanceof NoRespondersError ||
  error instanceof RequestError;
