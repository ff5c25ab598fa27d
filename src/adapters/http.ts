import { VK_AUTH_ERROR_CODES, VkAuthError } from '../errors.js';
import type { LaunchParamsInput } from '../launch-params/input.js';
import { toMilliseconds } from '../launch-params/typed.js';
import type { LaunchParams } from '../launch-params/types.js';
import { compileWhenConfigured } from '../missing-option.js';
import { type CompiledOptions, compileOptions, type VerifyOptions } from '../options.js';
import { verifyWithCompiledOptions } from '../verify.js';
import { DEFAULT_CACHE_SIZE, VerifiedCache } from './verified-cache.js';

/**
 * What every adapter exposes as `vk` once a request is authenticated: the
 * verified launch params, and the user `resolveUser` returned (`undefined`
 * without `resolveUser`).
 *
 * @example
 * ```ts
 * app.get('/me', (req, res) => {
 *   const { params, user } = req.vk!;
 *   res.json({ id: params.vk_user_id, name: user.name });
 * });
 * ```
 */
export interface VkContext<User = undefined> {
  /** The verified launch params. */
  readonly params: LaunchParams;
  /** What `resolveUser` returned for them (`undefined` without `resolveUser`). */
  readonly user: User;
}

/**
 * Declares your user type once for the frameworks that type request state
 * globally (Express's `req.vk`, Fastify's `request.vk`): TypeScript's
 * declaration merging, the idiom those frameworks use themselves.
 *
 * Augment the subpath you import the adapter from (any of them works, they
 * share one `Register`).
 *
 * @example
 * ```ts
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/express';
 *
 * declare module 'vk-miniapp-auth/express' {
 *   interface Register {
 *     user: User;
 *   }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by users through declaration merging
export interface Register {}

/**
 * The user type declared through {@link Register}, or `unknown`.
 *
 * @example
 * ```ts
 * const user = req.vk?.user as RegisteredUser;
 * ```
 */
export type RegisteredUser = Register extends {
  /** The user type declared in `Register`. */
  user: infer User;
}
  ? User
  : unknown;

/**
 * Turns verified launch params into your user: the `get_or_create` step. May
 * be async. `null`, `undefined` or `false` refuses the request (401
 * `USER_REJECTED`); a `VkAuthError` it throws refuses with that error's code;
 * any other exception is a server error, passed to the framework's error
 * handling.
 *
 * @example
 * ```ts
 * const resolveUser: ResolveUser<Request, User> = (params) => users.getOrCreate(params.vk_user_id);
 * ```
 */
export type ResolveUser<Req, User> = (
  params: LaunchParams,
  request: Req,
) => User | null | undefined | false | Promise<User | null | undefined | false>;

/**
 * Options every adapter takes, on top of {@link VerifyOptions}.
 *
 * @example
 * ```ts
 * const options: VkMiniAppAuthOptions<Request, User> = {
 *   secret: process.env.VK_APP_SECRET!,
 *   appId: 6736218,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 *   getCredentials: (req) => req.headers['x-launch-params'] as string | undefined,
 *   optional: false,
 * };
 * ```
 */
export interface VkMiniAppAuthOptions<Req, User = undefined> extends VerifyOptions {
  /** The `get_or_create` hook; see {@link ResolveUser}. */
  resolveUser?: ResolveUser<Req, User>;
  /**
   * Where the launch params are read from. Default: the `Authorization`
   * header (scheme `Bearer`, `VK`, or none). Return `null`/`undefined`/`''`
   * when the request carries none.
   */
  getCredentials?: (request: Req) => LaunchParamsInput | Promise<LaunchParamsInput>;
  /** Let requests without credentials through with `vk = null`. Bad credentials are still refused. */
  optional?: boolean;
  /**
   * How many verified credentials to remember (default 1024), so the repeats
   * of a session skip parsing and the HMAC; their age is still checked on
   * every request. `false` or `0` verifies every request in full.
   */
  cache?: boolean | number;
}

/**
 * The `WWW-Authenticate` value a refusal is answered with (RFC 6750, section
 * 3.1): `error="invalid_token"` when credentials were sent and refused; no
 * error code at all when none were sent.
 *
 * @example
 * ```ts
 * res.set('WWW-Authenticate', wwwAuthenticate(error));
 * ```
 */
export function wwwAuthenticate(error: VkAuthError): string {
  return error.code === 'MISSING_CREDENTIALS'
    ? 'Bearer realm="vk-miniapp"'
    : 'Bearer realm="vk-miniapp", error="invalid_token"';
}

/**
 * The refusal an error stands for, or `undefined` when it is a server error.
 * A refusal is a `VkAuthError` with one of the library's codes, whoever threw
 * it: the library, or a `resolveUser` refusing on purpose
 * (`throw new VkAuthError('USER_REJECTED', 'Banned.')`). Its status comes from
 * its code (401), never from the object, so something merely shaped like a
 * `VkAuthError` cannot turn into a 200. Anything else is the framework's 500.
 *
 * @example
 * ```ts
 * const refusal = refusalOf(error);
 * if (refusal === undefined) throw error; // a server error
 * ```
 */
export function refusalOf(error: unknown): VkAuthError | undefined {
  if (!VkAuthError.is(error) || !REFUSAL_CODES.has(error.code)) return undefined;
  if (error instanceof VkAuthError && error.status === 401) return error;
  // Normalised; what was thrown stays reachable as the cause.
  return new VkAuthError(error.code, error.message, { cause: error });
}

const REFUSAL_CODES: ReadonlySet<string> = new Set(VK_AUTH_ERROR_CODES);

/**
 * The JSON body of a refusal: the stable code and a message saying what to do.
 *
 * @example
 * ```ts
 * res.status(401).json(errorBody(error)); // {"error":"EXPIRED","message":"…"}
 * ```
 */
export function errorBody(error: VkAuthError): { error: string; message: string } {
  return { error: error.code, message: error.message };
}

/**
 * A ready `Response` for a refusal, for Web-standard frameworks (Hono, Next.js, Workers).
 *
 * @example
 * ```ts
 * const refusal = refusalOf(error);
 * if (refusal) return errorResponse(refusal);
 * ```
 */
export function errorResponse(error: VkAuthError): Response {
  return new Response(JSON.stringify(errorBody(error)), {
    status: error.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': wwwAuthenticate(error) },
  });
}

/**
 * Whether a request is a CORS preflight, which carries no credentials. The
 * adapters whose `vk` may be absent (Express, Fastify) let one pass untouched.
 */
export function isPreflight(method: string | undefined, accessControlRequestMethod: unknown): boolean {
  return method === 'OPTIONS' && typeof accessControlRequestMethod === 'string' && accessControlRequestMethod !== '';
}

/** Authenticates one request of a framework; `null` means an anonymous request let through by `optional`. */
export type Authenticate<Req, User> = (
  request: Req,
  authorizationHeader: string | null | undefined,
) => Promise<VkContext<User> | null>;

/**
 * Checks adapter options once, at start-up (a misconfiguration throws a
 * `TypeError` before the first request; a required option with no value waits
 * for the first request, see {@link compileWhenConfigured}), and returns the
 * request-time check all adapters share.
 */
export function createAuthenticate<Req, User>(options: VkMiniAppAuthOptions<Req, User>): Authenticate<Req, User> {
  const { resolveUser, getCredentials, optional = false } = options ?? {};
  const cacheSize = readCacheSize(options?.cache);
  const configured = compileWhenConfigured(() => {
    const compiled = compileOptions(options);
    return { compiled, cache: cacheSize > 0 ? new VerifiedCache(cacheSize, compiled) : undefined };
  });
  if (resolveUser !== undefined && typeof resolveUser !== 'function') {
    throw new TypeError('vk-miniapp-auth: options.resolveUser must be a function.');
  }
  if (getCredentials !== undefined && typeof getCredentials !== 'function') {
    throw new TypeError('vk-miniapp-auth: options.getCredentials must be a function.');
  }
  if (typeof optional !== 'boolean') throw new TypeError('vk-miniapp-auth: options.optional must be a boolean.');

  // Written with as few promises as possible: on a cache hit with a synchronous
  // resolveUser, a request costs one resolved promise instead of four.
  return (request, authorizationHeader) => {
    let compiled: CompiledOptions;
    let cache: VerifiedCache | undefined;
    try {
      ({ compiled, cache } = configured());
      const credential = getCredentials ? getCredentials(request) : authorizationHeader;
      return Promise.resolve(isThenable(credential) ? credential.then(settle) : settle(credential));
    } catch (error) {
      return Promise.reject(error);
    }

    function settle(credential: unknown): VkContext<User> | null | Promise<VkContext<User> | null> {
      const remembered = cache !== undefined && typeof credential === 'string' ? cache.get(credential) : undefined;
      if (remembered !== undefined) return withUser(remembered);
      return verifyFresh(credential, compiled, cache).then((params) => (params === null ? null : withUser(params)));
    }

    function withUser(params: LaunchParams): VkContext<User> | Promise<VkContext<User>> {
      if (resolveUser === undefined) return { params, user: undefined as User };
      // Not caught: a failing database is a 500 for the framework to handle, not a 401.
      const user = resolveUser(params, request);
      return isThenable(user) ? user.then((resolved) => contextFor(params, resolved)) : contextFor(params, user);
    }
  };

  async function verifyFresh(
    credential: unknown,
    compiled: CompiledOptions,
    cache: VerifiedCache | undefined,
  ): Promise<LaunchParams | null> {
    let params: LaunchParams;
    try {
      params = await verifyWithCompiledOptions(credential, compiled);
    } catch (error) {
      // "No credentials" covers a scheme with nothing after it (`Bearer `, which Headers trims to `Bearer`).
      if (optional && VkAuthError.is(error, 'MISSING_CREDENTIALS')) return null;
      throw error;
    }
    // Verified data are read-only: the same object may serve every request of a session.
    Object.freeze(params.vk_access_token_settings);
    Object.freeze(params);
    if (cache !== undefined && typeof credential === 'string') {
      cache.set(credential, params, params.vk_ts === undefined ? undefined : toMilliseconds(params.vk_ts));
    }
    return params;
  }
}

function contextFor<User>(params: LaunchParams, user: User | null | undefined | false): VkContext<User> {
  // `false` too: it is what people write for "deny", and letting it through would authenticate the request.
  if (user === null || user === undefined || user === false) {
    throw new VkAuthError('USER_REJECTED', 'The launch params are valid, but this user is not allowed in.');
  }
  return { params, user };
}

/** Whether `value` is a promise or another thenable. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * An adapter's `onError` option, checked at start-up: a function, or
 * `undefined` where it was not given.
 */
export function readOnError<Handler>(onError: Handler): Handler {
  if (onError !== undefined && typeof onError !== 'function') {
    throw new TypeError('vk-miniapp-auth: options.onError must be a function.');
  }
  return onError;
}

function readCacheSize(cache: unknown): number {
  if (cache === undefined || cache === true) return DEFAULT_CACHE_SIZE;
  if (cache === false) return 0;
  if (typeof cache !== 'number' || !Number.isSafeInteger(cache) || cache < 0) {
    throw new TypeError('vk-miniapp-auth: options.cache must be a boolean or a number of entries, 0 or more.');
  }
  return cache;
}
