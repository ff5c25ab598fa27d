// The demo's entry point (`npm start`): read the configuration, open the
// store, listen, say where to go; on SIGINT/SIGTERM close the server, then the
// store, and exit 0.
import { buildApp } from './app.mjs';
import { ConfigError, loadConfig } from './config.mjs';
import { openStore } from './store.mjs';

/** How long a shutdown may take before the process gives up and exits 1. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

/** @type {import('./store.mjs').UserStore} */
let store;
try {
  store = await openStore(config.database);
} catch (error) {
  const where = config.database.kind === 'postgres' ? 'the PostgreSQL server of DATABASE_URL' : config.database.path;
  console.error(`Cannot open the store (${where}): ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

/** @type {import('fastify').FastifyInstance} */
let app;
try {
  app = await buildApp({ config, store, logger: { level: config.logLevel } });
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  console.error(
    code === 'EADDRINUSE'
      ? `Port ${config.port} on ${config.host} is already in use: stop what uses it, or set PORT to another port.`
      : `Cannot start the server on ${config.host}:${config.port}: ${error instanceof Error ? error.message : error}`,
  );
  await store.close();
  process.exit(1);
}

const address = app.server.address();
const port = typeof address === 'object' && address !== null ? address.port : config.port;
const host = ['0.0.0.0', '::', ''].includes(config.host)
  ? 'localhost'
  : config.host.includes(':')
    ? `[${config.host}]`
    : config.host;
const origin = `http://${host}:${port}`;

console.log(
  config.devMode
    ? [
        'vk-miniapp-auth demo, dev mode (no VK_APP_ID / VK_APP_SECRET): launches are signed with a dev secret.',
        `  Open ${origin}/launcher and pick a user.`,
        `  Dev secret: ${config.secret} (new on every start; app id ${config.appId})`,
        `  Store: ${store.description}`,
        '  Stop: Ctrl+C',
      ].join('\n')
    : [
        `vk-miniapp-auth demo for VK app ${config.appId}: listening on ${origin}/`,
        "  Set this address (behind HTTPS) as the mini app's URL in its VK settings, then launch it from VK.",
        `  Store: ${store.description}`,
        '  Stop: Ctrl+C',
      ].join('\n'),
);

let stopping = false;
/** @param {NodeJS.Signals} signal */
async function shutdown(signal) {
  if (stopping) {
    console.error(`${signal} again: exiting without waiting.`);
    process.exit(1);
  }
  stopping = true;
  console.log(`${signal}: closing the server, then the store…`);
  setTimeout(() => {
    console.error(`Shutdown took over ${SHUTDOWN_TIMEOUT_MS / 1000} s: exiting anyway.`);
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS).unref();
  try {
    await app.close(); // stops accepting, lets in-flight requests finish
    await store.close();
  } catch (error) {
    console.error('Shutdown failed:', error);
    process.exit(1);
  }
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
