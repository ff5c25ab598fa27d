// What a driver is: one framework's adapter, mounted the way an app mounts it, behind a
// framework-neutral face, so the contract suite (contract.ts) can write each scenario once and
// run it against every adapter.
import type { Server } from 'node:http';
import request from 'supertest';
import { expect } from 'vitest';
import type { MaxLaunch, VkLaunch } from '../../../src/adapters/common/context.js';
import type { MaxAdapterOptions } from '../../../src/adapters/common/options.js';
import { VK_AUTH_ERROR_CODES, type VkAuthError, type VkAuthErrorCode } from '../../../src/index.js';
import type { LaunchParams } from '../../../src/launch-params/types.js';
import type { SecretOption, VerifyOptions } from '../../../src/options.js';
import { createMemoryReplayStore, type ReplayStore } from '../../../src/replay.js';
import type { SessionOptions } from '../../../src/session.js';

/** The request as `resolveUser` and `getCredentials` see it here: its headers, read the framework's way. */
export interface Incoming {
  header(name: string): string | undefined;
}

/** What a restyled refusal answers. */
export interface Answer {
  status: number;
  body: unknown;
}

/**
 * The adapter options a driver mounts its adapter with: those of every adapter, with the
 * framework's request replaced by {@link Incoming}, and `restyle` for `onError`.
 */
export interface DriverOptions extends Partial<VerifyOptions> {
  /** Typed as with `max`: `params` is `undefined` for a MAX launch (none without `max`). */
  resolveUser?: (params: LaunchParams, request: Incoming, launch: VkLaunch | MaxLaunch) => unknown;
  getCredentials?: (request: Incoming) => unknown;
  optional?: boolean;
  cache?: boolean | number;
  session?: SessionOptions;
  /** MAX launches let in beside VK ones (the adapters' `max` option). */
  max?: MaxAdapterOptions;
  /**
   * Restyles every refusal (of the launch-params check and of the CreateHash guard), through
   * the adapter's `onError` option where it has one, else the framework's own channel (Fastify's
   * `setErrorHandler`, a NestJS exception filter).
   */
  restyle?: (error: VkAuthError) => Answer | Promise<Answer>;
  /**
   * How `/api/groups/:groupId/role` turns its route parameter (as the framework gives it) into
   * what its group-role guard's `groupId` getter returns. Default: the parameter as it is.
   */
  groupId?: (param: string | undefined) => unknown;
  /** The replay store of `/api/hash-body`'s guard. Default: a memory store of the app's own, on `now`. */
  replay?: ReplayStore;
  /**
   * Whether `/api/hash-body` keeps the raw body the way the framework's docs page says (default
   * `true`). `false` builds it as an app that skipped that step: Express's `express.json()`
   * without `verify`, Fastify's own JSON parser, Koa's body parser without `rawBody`, NestJS
   * without `rawBody: true`. Hono and Next.js read the body from the request: nothing to skip.
   */
  keepRawBody?: boolean;
}

/** One request; by default `GET /api/p`. A POST carries a JSON body (`{}` unless given). */
export interface Sent {
  method?: 'GET' | 'POST' | 'OPTIONS';
  path?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** A POST's body as the exact text to send, instead of the JSON of `body`. */
  text?: string;
}

export interface Reply {
  status: number;
  /** Names in lower case. */
  headers: Record<string, string | undefined>;
  /** The parsed JSON body, `undefined` when the answer is not JSON. */
  body: unknown;
  text: string;
}

/**
 * An app built by a driver. It serves:
 * - `/api/p` (GET, POST, OPTIONS): the launch-params check, then a handler answering 200
 *   `{ vk }`, what it saw of `vk` (`null` when none);
 * - `/api/hash` (POST, OPTIONS): the check, then the CreateHash guard over the JSON body's
 *   `requestId`, then the same handler;
 * - `/api/hash-header` (POST): the same, the payload in the `X-VK-Sign-Payload` header;
 * - `/api/hash-throws` (POST): the same, with a payload getter that throws;
 * - `/open/hash` (POST, OPTIONS): the CreateHash guard without the launch-params check (a wiring
 *   mistake: NestJS's is a `@Public()` route);
 * - `/api/role` (GET, POST, OPTIONS): the check, then the group-role guard for
 *   {@link GROUP_ROLES} (`requireGroupRole('admin', 'editor')`, NestJS's `@VkGroupRole`), then
 *   the handler;
 * - `/api/groups/:groupId/role` (GET, POST, OPTIONS): the same, the guard bound to the community
 *   of the route parameter: its `groupId` getter returns `groupId(param)` of the driver options
 *   (the parameter itself without it);
 * - `/open/role` (GET, POST, OPTIONS): the group-role guard without the launch-params check;
 * - `/api/hash-body` (GET, POST): the check, then the CreateHash guard bound to the body,
 *   `requireCreateHash({ secret, now, bindBody: true, replay })` (the payload in the
 *   `X-VK-Sign-Payload` header, the raw body where the adapter looks by default, `replay` from
 *   the driver options), then a handler answering 200 `{ vk, body }`: what it saw of `vk`, and
 *   what it parsed of the JSON body after the guard had hashed it (left out when none). Its raw
 *   body is kept as the framework's docs page says (see `keepRawBody`).
 * Its CreateHash guards take `secret` (NestJS: the module's) and `now` from the driver options;
 * its group-role guards take `onError` from `restyle`, as the adapter's own does.
 */
export interface App {
  send(request?: Sent): Promise<Reply>;
  /** What the handler saw of `vk`, once per request that reached it. */
  readonly seen: unknown[];
  /** What reached the framework's own error handling, refusals aside. */
  readonly serverErrors: unknown[];
  close(): Promise<void>;
}

export type Framework = 'express' | 'fastify' | 'koa' | 'hono' | 'next' | 'nestjs';

export interface Driver {
  /** The framework and its version or platform: `express 4`, `nestjs on fastify`. */
  readonly name: string;
  readonly framework: Framework;
  /** How a refusal is restyled: the adapter's `onError` option, or the framework's own channel. */
  readonly restyleThrough: 'onError' | 'setErrorHandler' | 'an exception filter';
  /**
   * Whether a CORS preflight passes the adapter and the CreateHash guard untouched (Express,
   * Fastify: `vk` may be absent) or is checked like any request (the others).
   */
  readonly preflight: 'passes' | 'checked';
  /** The refusal's body, as this adapter shapes it. */
  refusalBody(code: string): unknown;
  /** The stable code in a refusal's body, whatever its shape. */
  codeOf(body: unknown): unknown;
  /** Builds and starts an app (see {@link App}). */
  start(options: DriverOptions): Promise<App>;
  /** Creates the adapter as an app does at start-up: rejects with what it throws for bad options. */
  create(options: unknown): Promise<void>;
  /**
   * Creates the group-role guard with these arguments, as an app does at start-up (NestJS: applies
   * `@VkGroupRole`): rejects with what it throws for bad ones.
   */
  createGroupRole(args: readonly unknown[]): Promise<void>;
  /**
   * Creates the CreateHash guard with these options, as an app does at start-up (NestJS: applies
   * `@RequireCreateHash`, whose options are checked on the first request): rejects with what it
   * throws for bad ones.
   */
  createCreateHash(options: unknown): Promise<void>;
}

/** The factories an adapter's `create*` call: its `vkMiniAppAuth`, `requireGroupRole`, `requireCreateHash`. */
interface Factories {
  readonly launchParams?: (options: never) => unknown;
  readonly groupRole: (...args: never[]) => unknown;
  readonly createHash: (options: never) => unknown;
}

/**
 * A driver's `create*`: each calls the adapter's factory as an app does at start-up, so a
 * rejection is what it throws for bad options. Without `launchParams` (Fastify, whose plugin is
 * registered rather than called), the driver writes its own `create`.
 */
export function creatorsOf(
  factories: Factories & Required<Pick<Factories, 'launchParams'>>,
): Pick<Driver, 'create' | 'createGroupRole' | 'createCreateHash'>;
export function creatorsOf(factories: Factories): Pick<Driver, 'createGroupRole' | 'createCreateHash'>;
export function creatorsOf(
  factories: Factories,
): Partial<Pick<Driver, 'create'>> & Pick<Driver, 'createGroupRole' | 'createCreateHash'> {
  const { launchParams } = factories;
  return {
    ...(launchParams && {
      async create(options: unknown) {
        launchParams(options as never);
      },
    }),
    async createGroupRole(args) {
      factories.groupRole(...(args as never[]));
    },
    async createCreateHash(options) {
      factories.createHash(options as never);
    },
  };
}

/**
 * The options a framework's adapter gets: the driver options, with `resolveUser` and
 * `getCredentials` handed the request as {@link Incoming}. Options left out stay out.
 */
export function adapterOptions<Req>(options: DriverOptions, incoming: (request: Req) => Incoming) {
  const {
    resolveUser,
    getCredentials,
    restyle: _restyle,
    groupId: _groupId,
    replay: _replay,
    keepRawBody: _keepRawBody,
    ...rest
  } = options;
  return {
    ...(rest as VerifyOptions & { optional?: boolean; cache?: boolean | number }),
    ...(resolveUser && {
      resolveUser: (params: LaunchParams, request: Req, launch: VkLaunch | MaxLaunch) =>
        resolveUser(params, incoming(request), launch) as never,
    }),
    ...(getCredentials && { getCredentials: (request: Req) => getCredentials(incoming(request)) as never }),
  };
}

/** The first value of a Node header. */
export function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return single(value[0]);
  return typeof value === 'string' ? value : undefined;
}

/** The payload the `/api/hash` routes read: the JSON body's `requestId`. */
export function requestIdOf(body: unknown): string | undefined {
  const requestId = (body as { requestId?: unknown } | null | undefined)?.requestId;
  return typeof requestId === 'string' ? requestId : undefined;
}

/** The roles the group-role routes let in. */
export const GROUP_ROLES = ['admin', 'editor'] as const;

/** What the `groupId` getter of `/api/groups/:groupId/role` returns for its route parameter. */
export function groupIdOf(options: DriverOptions, param: string | undefined): never {
  return (options.groupId ? options.groupId(param) : param) as never;
}

/** The replay store of `/api/hash-body`: the driver options', else a memory store of the app's own. */
export function replayOf(options: DriverOptions): ReplayStore {
  return options.replay ?? createMemoryReplayStore(options.now ? { now: options.now } : {});
}

/**
 * The options of `/api/hash-body`'s guard, `requireCreateHash({ secret, now, bindBody: true,
 * replay })`, for the adapters that take `secret` (NestJS's comes from its module).
 */
export function bodyBoundHashOptions(options: DriverOptions) {
  return { secret: options.secret as SecretOption, now: options.now, bindBody: true, replay: replayOf(options) };
}

/** The payload getter of `/api/hash-throws`. */
export function brokenPayload(): string {
  throw new Error('payload getter failed');
}

/** Whether an error is a refusal: a `VkAuthError` with one of the library's codes. */
export function isRefusal(error: unknown): error is VkAuthError {
  const code = (error as { name?: unknown; code?: unknown } | null)?.code;
  return (
    error instanceof Error && error.name === 'VkAuthError' && VK_AUTH_ERROR_CODES.includes(code as VkAuthErrorCode)
  );
}

/** A reply from a Web `Response`. */
export async function fromResponse(response: Response): Promise<Reply> {
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, headers, body: jsonOf(headers['content-type'], text), text };
}

/** A reply from Node's answer: status, headers, text (supertest, `inject`). */
export function fromNode(status: number, headers: Record<string, unknown>, text: string): Reply {
  const lower: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = single(value);
  return { status, headers: lower, body: jsonOf(lower['content-type'], text), text };
}

function jsonOf(contentType: string | undefined, text: string): unknown {
  if (!/^application\/json/.test(contentType ?? '')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The parts of a request every driver sends the same way. */
export function normalise({ method = 'GET', path = '/api/p', headers = {}, body, text }: Sent = {}) {
  const payload = method === 'POST' ? (text ?? JSON.stringify(body ?? {})) : undefined;
  return {
    method,
    path,
    headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
    payload,
  };
}

/** Sends requests to a Node server over real HTTP (supertest: an ephemeral port per request). */
export function overHttp(server: Server | Parameters<typeof request>[0]): (sent?: Sent) => Promise<Reply> {
  return async (sent) => {
    const { method, path, headers, payload } = normalise(sent);
    const agent = request(server);
    let test = (method === 'GET' ? agent.get(path) : method === 'POST' ? agent.post(path) : agent.options(path)).set(
      headers,
    );
    if (payload !== undefined) test = test.send(payload);
    const response = await test;
    return fromNode(response.status, response.headers, response.text);
  };
}

/** The library's own refusal body, `{"error": CODE, "message": "…"}`: Express, Koa, Hono and Next.js answer with it. */
export const LIBRARY_REFUSAL_BODY: Pick<Driver, 'refusalBody' | 'codeOf'> = {
  refusalBody: (code) => ({ error: code, message: expect.any(String) }),
  codeOf: (body) => (body as { error?: unknown } | undefined)?.error,
};
