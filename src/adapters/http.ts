import { VkAuthError } from '../errors.js';
import type { LaunchParamsInput } from '../launch-params/input.js';
import type { LaunchParams } from '../launch-params/types.js';
import { compileOptions, type VerifyOptions } from '../options.js';
import { verifyWithCompiledOptions } from '../verify.js';

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
  readonly params: LaunchParams;
  readonly user: User;
}

/**
 * Declares your user type once for the frameworks that type request state
 * globally (Express's `req.vk`, Fastify's `request.vk`): TypeScript's
 * declaration merging, the idiom those frameworks use themselves.
 *
 * @example
 * ```ts
 * declare module 'vk-miniapp-auth' {
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
export type RegisteredUser = Register extends { user: infer User } ? User : unknown;

/**
 * Turns verified launch params into your user: the `get_or_create` step. May
 * be async. `null` or `undefined` refuses the request (401 `USER_REJECTED`);
 * an exception is a server error, passed to the framework's error handling.
 *
 * @example
 * ```ts
 * const resolveUser: ResolveUser<Request, User> = (params) => users.getOrCreate(params.vk_user_id);
 * ```
 */
export type ResolveUser<Req, User> = (
  params: LaunchParams,
  request: Req,
) => User | null | undefined | Promise<User | null | undefined>;

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
}

/** The `WWW-Authenticate` value every adapter answers a refusal with (RFC 6750). */
export const WWW_AUTHENTICATE = 'Bearer realm="vk-miniapp", error="invalid_token"';

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
 * if (VkAuthError.is(error)) return errorResponse(error);
 * ```
 */
export function errorResponse(error: VkAuthError): Response {
  return new Response(JSON.stringify(errorBody(error)), {
    status: error.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': WWW_AUTHENTICATE },
  });
}

/** Whether a request is a CORS preflight, which carries no credentials and must pass untouched. */
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
 * `TypeError` before the first request), and returns the request-time check
 * all adapters share.
 */
export function createAuthenticate<Req, User>(options: VkMiniAppAuthOptions<Req, User>): Authenticate<Req, User> {
  const compiled = compileOptions(options);
  const { resolveUser, getCredentials, optional = false } = options;
  if (resolveUser !== undefined && typeof resolveUser !== 'function') {
    throw new TypeError('vk-miniapp-auth: options.resolveUser must be a function.');
  }
  if (getCredentials !== undefined && typeof getCredentials !== 'function') {
    throw new TypeError('vk-miniapp-auth: options.getCredentials must be a function.');
  }
  if (typeof optional !== 'boolean') throw new TypeError('vk-miniapp-auth: options.optional must be a boolean.');

  return async (request, authorizationHeader) => {
    const credential = getCredentials ? await getCredentials(request) : authorizationHeader;
    const params = await verifyWithCompiledOptions(credential, compiled).catch((error: unknown) => {
      // "No credentials" covers a scheme with nothing after it (`Bearer `, which Headers trims to `Bearer`).
      if (optional && VkAuthError.is(error, 'MISSING_CREDENTIALS')) return null;
      throw error;
    });
    if (params === null) return null;
    return { params, user: await userFor(params, request, resolveUser) };
  };
}

async function userFor<Req, User>(
  params: LaunchParams,
  request: Req,
  resolveUser: ResolveUser<Req, User> | undefined,
): Promise<User> {
  if (resolveUser === undefined) return undefined as User;
  // Not caught: a failing database is a 500 for the framework to handle, not a 401.
  const user = await resolveUser(params, request);
  if (user === null || user === undefined) {
    throw new VkAuthError('USER_REJECTED', 'The launch params are valid, but this user is not allowed in.');
  }
  return user;
}
