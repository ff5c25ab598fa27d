// What the Redis tests share: the server to test on (REDIS_URL, started by
// scripts/start-redis.sh), whether they run, and servers that misbehave on
// purpose (nothing listening, a server that never answers).
import { createServer, type Server, type Socket } from 'node:net';
import { describe, it } from 'vitest';

/** `REDIS_URL` of the Redis server to test on, if any. */
export const REDIS_URL = process.env.REDIS_URL?.trim() || undefined;
/** Under CI the Redis tests must run; locally they may be skipped. */
export const IN_CI = Boolean(process.env.CI);

/**
 * `describe` when REDIS_URL is set. Without it the suite is skipped locally
 * (with a warning), and under CI it fails with a test that says what is
 * missing, as the demo's PostgreSQL suites do (test/demo/server-harness.ts).
 */
export function describeWithRedis(suite: string, body: (url: string) => void): void {
  if (REDIS_URL !== undefined) {
    describe(suite, () => body(REDIS_URL));
    return;
  }
  if (IN_CI) {
    describe(suite, () => {
      it('runs under CI, where REDIS_URL must be set', () => {
        throw new Error(
          'CI is set but REDIS_URL is not: .ci/run must start Redis ' +
            '(REDIS_URL="$(bash scripts/start-redis.sh DIR)"; export REDIS_URL) before npm test.',
        );
      });
    });
    return;
  }
  console.warn(
    `[replay] REDIS_URL is not set: skipping "${suite}" (CI runs it). To run it: ` +
      'export REDIS_URL="$(bash scripts/start-redis.sh "$(mktemp -d)")" (stop it with scripts/stop-redis.sh DIR)',
  );
  describe.skip(suite, () => body('redis://127.0.0.1:0'));
}

/** A port on 127.0.0.1 where nothing listens (free a moment ago): connections to it are refused. */
export { freePort as closedPort } from './ports.js';

/** A TCP server that accepts connections and never answers: a hung Redis. */
export async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    // Reads and drops whatever the client sends: no reply, ever.
    socket.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return {
    url: `redis://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Keys of this run only, so reruns and parallel runs on one Redis never see each other's. */
export function runPrefix(name: string): string {
  return `vk-miniapp-auth:test:${name}:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2)}:`;
}
