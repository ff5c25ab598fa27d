// A port for a test server, or for a client that must find nothing listening: one helper for
// every suite that needs one (the demo's, the docs examples', Redis's).
import { createServer } from 'node:net';

/** A port on 127.0.0.1 that was free a moment ago: nothing listens there, so connections to it are refused. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
