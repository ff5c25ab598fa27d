// Types of app.mjs, for TypeScript callers (the tests); the JSDoc there is the documentation.
import type { FastifyInstance, FastifyLoggerOptions } from 'fastify';
import type { DemoConfig } from './config.mjs';
import type { UserStore } from './store.mjs';

/** The mini-app page and the launcher's folder: examples/demo/public. */
export declare const DEFAULT_PUBLIC_DIR: string;
/** Where the page loads `vk-miniapp-auth/client` from (public/app.js imports this path). */
export declare const CLIENT_PATH: string;

export interface BuildAppOptions {
  config: DemoConfig;
  store: UserStore;
  /** Fastify's `logger` option (default `false`); logged URLs lose their query string. */
  logger?: boolean | FastifyLoggerOptions;
  /** The clock, in milliseconds like `Date.now`. */
  now?: () => number;
  /** Where the pages are (default {@link DEFAULT_PUBLIC_DIR}). */
  publicDir?: string;
}

/** Builds the demo's Fastify app, not listening yet. */
export declare function buildApp(options: BuildAppOptions): Promise<FastifyInstance>;
