import { VkAuthError } from '../../errors.js';
import { launchIdentity } from '../../identity.js';
import { toMilliseconds } from '../../launch-params/typed.js';
import type { LaunchParams } from '../../launch-params/types.js';
import { compileWhenConfigured } from '../../missing-option.js';
import { type CompiledOptions, compileOptions } from '../../options.js';
import { verifyWithCompiledOptions } from '../../verify.js';
import type { AdapterContext, MaxLaunch, VkContext, VkLaunch, VkOrMaxContext } from './context.js';
import { createMaxStep, isMaxCredential, type MaxStep } from './max-launch.js';
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
export type Authenticate<Req, User, Max extends boolean = false> = (
  request: Req,
  authorizationHeader: string | null | undefined,
) => Promise<AdapterContext<User, Max> | null>;

/**
 * Checks adapter options once, at start-up (a misconfiguration throws a
 * `TypeError` before the first request; a required option with no value waits
 * for the first request, see {@link compileWhenConfigured}), and returns the
 * request-time check all adapters share.
 */
export function createAuthenticate<Req, User, Max extends boolean = false>(
  options: VkMiniAppAuthOptions<Req, User, Max>,
): Authenticate<Req, User, Max> {
  const { getCredentials, optional = false } = options ?? {};
  // One signature inside: a VK launch gives params, a MAX one does not.
  const resolveUser = options?.resolveUser as
    | ((
        params: LaunchParams | undefined,
        request: Req,
        launch: VkLaunch | MaxLaunch,
      ) => User | null | undefined | false | Promise<User | null | undefined | false>)
    | undefined;
  const cacheSize = readCacheSize(options?.cache);
  const configured = compileWhenConfigured(() => {
    const compiled = compileOptions(options);
    return { compiled, cache: cacheSize > 0 ? new VerifiedCache(cacheSize, compiled) : undefined };
  });
  // Apart from the rest, so that bad session options throw at start-up even while the app's secret is unset.
  const { session, now } = options ?? {};
  const sessionStep = session === undefined ? undefined : compileWhenConfigured(() => createSessionStep(session, now));
  const max = options?.max;
  const maxStep = max === undefined ? undefined : compileWhenConfigured(() => createMaxStep(max, now));
  if (resolveUser !== undefined && typeof resolveUser !== 'function') {
    throw new TypeError('vk-miniapp-auth: options.resolveUser must be a function.');
  }
  if (getCredentials !== undefined && typeof getCredentials !== 'function') {
    throw new TypeError('vk-miniapp-auth: options.getCredentials must be a function.');
  }
  if (typeof optional !== 'boolean') throw new TypeError('vk-miniapp-auth: options.optional must be a boolean.');

  // Written with as few promises as possible: on a cache hit with a synchronous
  // resolveUser, a request costs one resolved promise instead of four.
  const authenticate = (request: Req, authorizationHeader: string | null | undefined) => {
    let compiled: CompiledOptions;
    let cache: VerifiedCache | undefined;
    let sessions: SessionStep | undefined;
    let verifyMax: MaxStep | undefined;
    try {
      ({ compiled, cache } = configured());
      sessions = sessionStep?.();
      verifyMax = maxStep?.();
      const credential = getCredentials ? getCredentials(request) : authorizationHeader;
      return Promise.resolve(isThenable(credential) ? credential.then(settle) : settle(credential));
    } catch (error) {
      return Promise.reject(error);
    }

    function settle(credential: unknown): VkOrMaxContext<User> | null | Promise<VkOrMaxContext<User> | null> {
      if (verifyMax !== undefined && isMaxCredential(credential)) {
        return verifyMax(credential).then(
          (launch) => withResolvedUser(launch, undefined, undefined),
          (error: unknown) => {
            // `tma` alone is no credentials, as `Bearer` alone is.
            if (optional && VkAuthError.is(error, 'MISSING_CREDENTIALS')) return null;
            throw error;
          },
        );
      }
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
    function withSession(params: LaunchParams): VkOrMaxContext<User> | Promise<VkOrMaxContext<User>> {
      if (sessions === undefined) return withUser(params, undefined);
      return sessions.issue(params).then((token) => withUser(params, token));
    }

    function withUser(
      params: LaunchParams,
      session: string | undefined,
    ): VkOrMaxContext<User> | Promise<VkOrMaxContext<User>> {
      const { platform, userId } = launchIdentity(params);
      return withResolvedUser({ platform, userId, params }, params, session);
    }

    function withResolvedUser(
      launch: VkLaunch | MaxLaunch,
      params: LaunchParams | undefined,
      session: string | undefined,
    ): VkOrMaxContext<User> | Promise<VkOrMaxContext<User>> {
      if (resolveUser === undefined) return contextFor(launch, undefined as User, session, true);
      // Not caught: a failing database is a 500 for the framework to handle, not a 401.
      const user = resolveUser(params, request, launch);
      return isThenable(user)
        ? user.then((resolved) => contextFor(launch, resolved, session))
        : contextFor(launch, user, session);
    }
  };
  // A MAX context comes out only of an adapter given `max`, which is what `Max` says.
  return authenticate as Authenticate<Req, User, Max>;

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
  launch: VkLaunch | MaxLaunch,
  user: unknown,
  session: string | undefined,
  withoutResolveUser = false,
): VkOrMaxContext<User> {
  // `false` too: it is what people write for "deny", and letting it through would authenticate the request.
  if (!withoutResolveUser && (user === null || user === undefined || user === false)) {
    throw new VkAuthError('USER_REJECTED', 'The launch params are valid, but this user is not allowed in.');
  }
  const context = { ...launch, user: user as User };
  // Only a VK or OK launch is given a session.
  return session === undefined ? context : { ...(context as VkContext<User>), session };
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
