// Every HTTP adapter as a driver (drivers/*.ts): the framework's adapter mounted the way an app
// mounts it, behind one framework-neutral face. The contract suite runs against all of them;
// the suites that must hold for every adapter alike (hostile input, missing configuration) send
// them one Authorization value through `adapters`.
import type { VerifyOptions } from '../../src/index.js';
import type { App, Driver } from './drivers/driver.js';
import { express4, express5 } from './drivers/express.js';
import { fastify4, fastify5 } from './drivers/fastify.js';
import { hono } from './drivers/hono.js';
import { koa2, koa3 } from './drivers/koa.js';
import { nestExpress, nestFastify } from './drivers/nestjs.js';
import { next } from './drivers/next.js';

export type { App, Driver, DriverOptions, Reply, Sent } from './drivers/driver.js';

/** Every adapter, on every major of its framework the repo installs, and NestJS on both platforms. */
export const DRIVERS: readonly Driver[] = [
  express5,
  express4,
  fastify5,
  fastify4,
  koa3,
  koa2,
  hono,
  next,
  nestExpress,
  nestFastify,
];

/** One driver per framework (the newest major; NestJS on Express): for the suites that need no version matrix. */
export const ONE_PER_FRAMEWORK: readonly Driver[] = [express5, fastify5, koa3, hono, next, nestExpress];

/**
 * Sends one Authorization value; resolves to the status, the stable code, if any, and the
 * WWW-Authenticate challenge (`null` without one).
 */
export type Send = (authorization: string) => Promise<{ status: number; code: unknown; challenge: string | null }>;

/**
 * An app of each driver of `drivers` with the same options; for each, its name, a `send` of
 * one Authorization value to its guarded route, and a `close` of its app.
 */
export async function adapters(
  options: VerifyOptions,
  drivers: readonly Driver[] = ONE_PER_FRAMEWORK,
): Promise<[string, Send, () => Promise<void>][]> {
  const apps: [Driver, App][] = [];
  for (const driver of drivers) apps.push([driver, await driver.start(options)]);
  return apps.map(([driver, app]) => [
    driver.name,
    async (authorization) => {
      const reply = await app.send({ headers: { authorization } });
      return {
        status: reply.status,
        code: reply.status === 200 ? undefined : driver.codeOf(reply.body),
        challenge: reply.headers['www-authenticate'] ?? null,
      };
    },
    () => app.close(),
  ]);
}
