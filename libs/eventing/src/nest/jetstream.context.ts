import { BaseRpcContext } from '@nestjs/microservices';
import type { MsgHdrs } from '@nats-io/transport-node';
import type { MessageContext } from '../consumer-runner.js';

/** What `@Ctx()` gives an `@EventPattern` handler served by JetStreamServer. */
export class JetStreamContext extends BaseRpcContext<[MessageContext]> {
  get message(): MessageContext {
    return this.args[0];
  }

  getSubject(): string {
    return this.message.subject;
  }

  getStreamSequence(): number {
    return this.message.streamSequence;
  }

  /** 1 on the first delivery. */
  getDeliveryCount(): number {
    return this.message.deliveryCount;
  }

  getHeaders(): MsgHdrs | undefined {
    return this.message.headers;
  }

  /** Keeps the message from being redelivered while a long handler is still working. */
  working(): void {
    this.message.working();
  }
}
