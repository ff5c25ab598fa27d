// Types of config.mjs, for TypeScript callers (the tests); the JSDoc there is the documentation.

/** The app id of dev mode's fake launches. */
export declare const DEV_APP_ID: number;
/** Where the SQLite file lives by default: examples/demo/data/demo.sqlite. */
export declare const DEFAULT_SQLITE_PATH: string;

/** Where users are stored: an embedded SQLite file, or a PostgreSQL server. */
export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** The demo server's settings. */
export interface DemoConfig {
  port: number;
  host: string;
  devMode: boolean;
  appId: number;
  secret: string;
  sessionSecret: string;
  database: DatabaseConfig;
  logLevel: string;
}

/** A configuration that cannot work; `problems` lists every one. */
export declare class ConfigError extends Error {
  constructor(problems: string[]);
  readonly problems: readonly string[];
}

/** Reads and checks the configuration from environment variables; throws {@link ConfigError}. */
export declare function loadConfig(
  env?: Record<string, string | undefined>,
  options?: { randomSecret?: () => string },
): DemoConfig;
