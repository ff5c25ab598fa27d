// The demo's configuration: read from environment variables once, at start-up,
// and checked as a whole so that one message lists everything that is wrong.
import { randomBytes } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app id of dev mode's fake launches (VK app ids are positive integers; this one is made up). */
export const DEV_APP_ID = 7654321;

/** Where the SQLite file lives when neither `DATABASE_URL` nor `SQLITE_PATH` is set (a gitignored folder). */
export const DEFAULT_SQLITE_PATH = fileURLToPath(new URL('../data/demo.sqlite', import.meta.url));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * @typedef {{ kind: 'sqlite', path: string } | { kind: 'postgres', url: string }} DatabaseConfig
 *   Where users are stored: an embedded SQLite file, or a PostgreSQL server.
 */

/**
 * @typedef {object} DemoConfig The demo server's settings.
 * @property {number} port TCP port to listen on (`0`: any free port).
 * @property {string} host Address to listen on.
 * @property {boolean} devMode `true` without VK credentials: launches are signed with a dev secret.
 * @property {number} appId The VK app id launches must carry (`DEV_APP_ID` in dev mode).
 * @property {string} secret The app's secure key (`VK_APP_SECRET`), or the dev secret.
 * @property {string} sessionSecret The key session tokens are signed with (`VK_SESSION_SECRET`), or a random one.
 * @property {DatabaseConfig} database Where users are stored.
 * @property {string} logLevel Fastify's (pino's) log level.
 */

/**
 * A configuration that cannot work. `problems` lists every one; the message
 * says them all, one a line, and never contains a secret or a database URL.
 *
 * @example
 * ```js
 * try {
 *   loadConfig(process.env);
 * } catch (error) {
 *   if (error instanceof ConfigError) console.error(error.message); // every problem, one a line
 * }
 * ```
 */
export class ConfigError extends Error {
  /** @param {string[]} problems */
  constructor(problems) {
    super(`The demo's configuration is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    /** @type {readonly string[]} */
    this.problems = Object.freeze([...problems]);
  }
}

/**
 * Reads the demo's configuration from environment variables (an empty value counts as unset):
 *
 * - `PORT` (default 3000; 0 picks a free port), `HOST` (default 127.0.0.1);
 * - `VK_APP_ID` and `VK_APP_SECRET`: both for real VK launches, or neither for dev mode,
 *   where a random dev secret is made for this start (`randomSecret`) and the app id is
 *   {@link DEV_APP_ID};
 * - `DATABASE_URL` (`postgres://…` or `postgresql://…`) for PostgreSQL, otherwise
 *   `SQLITE_PATH` (default {@link DEFAULT_SQLITE_PATH}; a relative path is taken from the
 *   current directory);
 * - `VK_SESSION_SECRET`: the key session tokens are signed with, 32 characters or more; a random
 *   one for this start when unset (sessions then end with the process, and each instance of
 *   several has its own: set it when you run more than one);
 * - `LOG_LEVEL` (default `warn`).
 *
 * @param {Record<string, string | undefined>} [env] the environment, `process.env` by default
 * @param {{ randomSecret?: () => string }} [options] where dev mode's secret comes from
 * @returns {DemoConfig}
 * @throws {ConfigError} listing every problem found
 *
 * @example
 * ```js
 * const config = loadConfig({ PORT: '8080' });
 * config.devMode; // true: no VK_APP_ID / VK_APP_SECRET
 * ```
 */
export function loadConfig(env = process.env, { randomSecret = makeDevSecret } = {}) {
  /** @type {string[]} */
  const problems = [];
  const value = (/** @type {string} */ name) => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };

  let port = 3000;
  const rawPort = value('PORT');
  if (rawPort !== undefined) {
    port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : Number.NaN;
    if (!(port >= 0 && port <= 65535)) {
      problems.push(
        `PORT must be a whole number from 0 to 65535 (0 picks a free port); got ${JSON.stringify(rawPort)}.`,
      );
    }
  }

  const host = value('HOST') ?? '127.0.0.1';

  const rawAppId = value('VK_APP_ID');
  const appSecret = value('VK_APP_SECRET');
  let appId = DEV_APP_ID;
  if (rawAppId !== undefined && appSecret === undefined) {
    problems.push('VK_APP_ID is set but VK_APP_SECRET is not: set both (real VK launches) or neither (dev mode).');
  } else if (rawAppId === undefined && appSecret !== undefined) {
    problems.push('VK_APP_SECRET is set but VK_APP_ID is not: set both (real VK launches) or neither (dev mode).');
  }
  if (rawAppId !== undefined) {
    appId = /^\d{1,15}$/.test(rawAppId) ? Number(rawAppId) : 0;
    if (appId <= 0) {
      problems.push(`VK_APP_ID must be your app's numeric id, as in its settings; got ${JSON.stringify(rawAppId)}.`);
    }
  }
  const devMode = rawAppId === undefined && appSecret === undefined;

  /** @type {DatabaseConfig} */
  let database;
  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== undefined) {
    database = { kind: 'postgres', url: databaseUrl };
    let protocol = '';
    try {
      protocol = new URL(databaseUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
      // The URL itself is not repeated: it may hold a password.
      problems.push('DATABASE_URL must be a PostgreSQL URL, postgres://user:password@host:5432/database.');
    }
  } else {
    const sqlitePath = value('SQLITE_PATH');
    database = {
      kind: 'sqlite',
      path:
        sqlitePath === undefined
          ? DEFAULT_SQLITE_PATH
          : sqlitePath === ':memory:' || isAbsolute(sqlitePath)
            ? sqlitePath
            : resolve(sqlitePath),
    };
  }

  const logLevel = value('LOG_LEVEL') ?? 'warn';
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(logLevel)}.`);
  }

  const sessionSecret = value('VK_SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    problems.push('VK_SESSION_SECRET must be at least 32 characters; make one with `openssl rand -base64 32`.');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    devMode,
    appId,
    secret: devMode ? randomSecret() : String(appSecret),
    sessionSecret: sessionSecret ?? randomBytes(32).toString('base64'),
    database,
    logLevel,
  };
}

/** A fresh random dev secret (20 characters, like a VK secure key), new on every start. */
function makeDevSecret() {
  return randomBytes(15).toString('base64url');
}
