import { WsProvider } from '@polkadot/api';

export interface ReconnectPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { initialDelayMs: 250, maxDelayMs: 30_000 };

/**
 * A WsProvider that reconnects with exponential backoff (WsProvider's own retry uses a fixed delay).
 * Its subscriptions survive: WsProvider re-sends them on every new connection.
 */
export class ReconnectingProvider {
  readonly provider: WsProvider;
  private delay: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    url: string,
    private readonly policy: ReconnectPolicy = DEFAULT_RECONNECT,
    private readonly onDisconnect: (retryInMs: number) => void = () => undefined,
  ) {
    this.delay = policy.initialDelayMs;
    // autoConnect off: this class owns the retries.
    this.provider = new WsProvider(url, false);
    this.provider.on('connected', () => (this.delay = this.policy.initialDelayMs));
    this.provider.on('disconnected', () => this.schedule());
    this.provider.on('error', () => undefined);
    this.attempt();
  }

  private attempt(): void {
    this.timer = undefined;
    if (this.stopped) return;
    this.provider.connect().catch(() => this.schedule());
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.onDisconnect(this.delay);
    this.timer = setTimeout(() => this.attempt(), this.delay);
    this.delay = Math.min(this.delay * 2, this.policy.maxDelayMs);
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.provider.disconnect();
  }
}
