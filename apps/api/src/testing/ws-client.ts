import WebSocket from 'ws';

/** A test client for /ws: collects every message and lets a test await the next ones. */
export class LiveClient {
  private readonly received: any[] = [];
  /** Every pending next(), woken in the order they were called, so concurrent calls take messages in order. */
  private readonly waiting = new Set<() => void>();

  /** The server's first message: name, version, protocol and limits. */
  welcome: any;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.received.push(JSON.parse((data as Buffer).toString()));
      for (const wake of [...this.waiting]) wake();
    });
  }

  /** Opens the socket and takes the server's welcome. */
  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<LiveClient> {
    const socket = new WebSocket(url, options);
    // Listening before 'open': the welcome may arrive in the same read as the upgrade and be emitted at once.
    const client = new LiveClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    client.welcome = await client.next();
    if (client.welcome.op !== 'welcome') throw new Error(`expected "welcome", got ${JSON.stringify(client.welcome)}`);
    return client;
  }

  /** The underlying socket, for tests of the WebSocket layer itself (pings, close codes). */
  get raw(): WebSocket {
    return this.socket;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message, waiting up to `timeoutMs` for it. */
  async next(timeoutMs = 5000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiting.add(wake);
      });
    }
    return this.received.shift();
  }

  /** Subscribes and waits for the confirmation (after which every matching event is delivered). */
  async subscribe(request: Record<string, unknown>): Promise<{ fromSequence: number }> {
    this.send({ op: 'subscribe', ...request });
    const reply = await this.next();
    if (reply.op !== 'subscribed') throw new Error(`expected "subscribed", got ${JSON.stringify(reply)}`);
    return reply;
  }

  /** Messages already received and not yet taken. */
  get pending(): number {
    return this.received.length;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => this.socket.once('close', resolve));
    this.socket.close();
    await closed;
  }
}
