import type { Namespace, Socket } from 'socket.io';

/** The longest delay `setTimeout` takes; a longer one fires at once (Node warns, browsers say nothing). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Disconnects sockets when their credential expires, once they are connected. */
export interface ExpiryWatch {
  /** Disconnects `socket`, which a middleware is letting in, at `expiresAt` (ms since the epoch). */
  watch(socket: Socket, expiresAt: number): void;
}

/**
 * The timers of `disconnectOnExpiry`. A socket's timer starts when its
 * namespace emits `connection`, not in the middleware: a later middleware may
 * still refuse the socket, which then never connects nor emits `disconnect`,
 * and a timer started for it would hold it until it fired; and
 * `socket.disconnect()` does nothing to a socket not connected yet, so a timer
 * firing before the connection would be lost. One `connection` listener per
 * namespace serves all its sockets; a refused socket leaves nothing behind
 * (the pending expiry is weakly held).
 */
export function createExpiryWatch(now: () => number): ExpiryWatch {
  const pending = new WeakMap<Socket, number>();
  const watched = new WeakSet<Namespace>();

  const onConnection = (socket: Socket): void => {
    const expiresAt = pending.get(socket);
    if (expiresAt === undefined) return;
    pending.delete(socket);
    disconnectAt(socket, expiresAt, now);
  };

  return {
    watch(socket, expiresAt) {
      pending.set(socket, expiresAt);
      if (!watched.has(socket.nsp)) {
        watched.add(socket.nsp);
        socket.nsp.on('connection', onConnection);
      }
    },
  };
}

function disconnectAt(socket: Socket, expiresAt: number, now: () => number): void {
  // Another `connection` listener may have disconnected it already.
  if (!socket.connected) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = (): void => {
    const delay = expiresAt - now();
    if (delay <= 0) {
      // `true`: the underlying connection is closed too, as the option's docs say.
      socket.disconnect(true);
      return;
    }
    // A credential good for more than 24.8 days is waited for in steps.
    timer = setTimeout(check, Math.min(delay, MAX_TIMEOUT_MS));
    // The connection keeps the process alive, not the date it ends.
    timer.unref();
  };
  socket.once('disconnect', () => clearTimeout(timer));
  check();
}
