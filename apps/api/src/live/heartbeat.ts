import type { WebSocket } from 'ws';

/**
 * WebSocket-level liveness: a ping frame every `intervalMs`; a socket that sent nothing (no message, no pong) for
 * `idleMs` is a dead peer and is terminated (a close handshake would wait on it). Browsers and `ws` answer pings
 * by themselves, so a live client never has to do anything.
 */
export const watchLiveness = (socket: WebSocket, { intervalMs, idleMs }: { intervalMs: number; idleMs: number }): void => {
  let lastHeard = Date.now();
  const heard = () => void (lastHeard = Date.now());
  socket.on('pong', heard);
  socket.on('message', heard);
  const timer = setInterval(
    () => {
      if (Date.now() - lastHeard > idleMs) return socket.terminate();
      socket.ping();
    },
    Math.min(intervalMs, idleMs),
  );
  timer.unref();
  socket.once('close', () => clearInterval(timer));
};
