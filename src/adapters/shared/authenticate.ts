import { VkAuthError } from '../../errors.js';
import { toMilliseconds } from '../../launch-params/typed.js';
import type { LaunchParams } from '../../launch-params/types.js';
import { compileWhenConfigured } from '../../missing-option.js';
import { type CompiledOptions, compileOptions } from '../../options.js';
import { verifyWithCompiledOptions } from '../../verify.js';
import type { VkContext } from './context.js';
import type { VkMiniAppAuthOptions } from './options.js';
import { createSessionStep, isSessionToken, type SessionStep } from './session.js';
import { DEFAULT_CACHE_SIZE, VerifiedCache } from './verified-cache.js';

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
  // Apart from the rest, so that bad session options throw at start-up even while the app's secret is unset.
  const { session, now } = options ?? {};
  const sessionStep = session === undefined ? undefined : compileWhenConfigured(() => createSessionStep(session, now));
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
    let sessions: SessionStep | undefined;
    try {
      ({ compiled, cache } = configured());
      sessions = sessionStep?.();
      const credential = getCredentials ? getCredentials(request) : authorizationHeader;
      return Promise.resolve(isThenable(credential) ? credential.then(settle) : settle(credential));
    } catch (error) {
      return Promise.reject(error);
    }

    function settle(credential: unknown): VkContext<User> | null | Promise<VkContext<User> | null> {
      if (sessions !== undefined && isSessionToken(credential)) {
        return sessions.verify(credential).then(({ params, renewed }) => {
          // The adapter's own app check holds for sessions too: a token of an app it does not accept is refused.
          compiled.secretsFor(params.vk_app_id);
          Object.freeze(params.vk_access_token_settings);
          return withUser(Object.freeze(params), renewed);
        });
      }
      const remembered = cache !== undefined && typeof credential === 'string' ? cache.get(credential) : undefined;
      if (remembered !== undefined) return withSession(remembered);
      return verifyFresh(credential, compiled, cache).then((params) => (params === null ? null : withSession(params)));
    }

    /** A launch just verified: with sessions on, it also gets a token. */
    function withSession(params: LaunchParams): VkContext<User> | Promise<VkContext<User>> {
      if (sessions === undefined) return withUser(params, undefined);
      return sessions.issue(params).then((token) => withUser(params, token));
    }

    function withUser(params: LaunchParams, session: string | undefined): VkContext<User> | Promise<VkContext<User>> {
      if (resolveUser === undefined) return contextFor(params, undefined as User, session, true);
      // Not caught: a failing database is a 500 for the framework to handle, not a 401.
      const user = resolveUser(params, request);
      return isThenable(user)
        ? user.then((resolved) => contextFor(params, resolved, session))
        : contextFor(params, user, session);
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

function contextFor<User>(
  params: LaunchParams,
  user: User | null | undefined | false,
  session: string | undefined,
  withoutResolveUser = false,
): VkContext<User> {
  // `false` too: it is what people write for "deny", and letting it through would authenticate the request.
  if (!withoutResolveUser && (user === null || user === undefined || user === false)) {
    throw new VkAuthError('USER_REJECTED', 'The launch params are valid, but this user is not allowed in.');
  }
  return session === undefined ? { params, user: user as User } : { params, user: user as User, session };
}

/** Whether `value` is a promise or another thenable. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function readCacheSize(cache: unknown): number {
  if (cache === undefined || cache === true) return DEFAULT_CACHE_SIZE;
  if (cache === false) return 0;
  if (typeof cache !== 'number' || !Number.isSafeInteger(cache) || cache < 0) {
    throw new TypeError('vk-miniapp-auth: options.cache must be a boolean or a number of entries, 0 or more.');
  }
  return cache;
}
