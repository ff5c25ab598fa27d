import type { LaunchParamsInput } from '../../launch-params/input.js';
import { createAuthenticate } from './authenticate.js';
import type { AdapterContext } from './context.js';
import { expiryOf } from './expiry-of.js';
import type { VkMiniAppAuthOptions } from './options.js';

/** What a connection was let in with: its `vk`, and when its credential stops being accepted. */
export interface ConnectionAuthentication<User, Max extends boolean = false> {
  readonly vk: AdapterContext<User, Max>;
  /** Milliseconds since the epoch, or `undefined` for a credential that does not expire. */
  readonly expiresAt: number | undefined;
}

/** Authenticates one connection attempt; `null` means an anonymous one let through by `optional`. */
export type AuthenticateConnection<Req, User, Max extends boolean = false> = (
  request: Req,
) => Promise<ConnectionAuthentication<User, Max> | null>;

/** One attempt as the shared check sees it: the framework's object, and the credential already read from it. */
interface Attempt<Req> {
  readonly request: Req;
  readonly credential: LaunchParamsInput;
}

/**
 * The check of the real-time adapters (Socket.IO, `ws`): the shared request
 * check ({@link createAuthenticate}), plus when the credential expires. That
 * depends on which credential it was (launch params or a session token), so
 * the credential is read here, by `getCredentials` or the adapter's
 * `readDefault`, and handed to the shared check as is; `resolveUser` still
 * gets the framework's object. Options are checked at once, like every
 * adapter's: a `TypeError` names the bad one.
 */
export function createAuthenticateConnection<Req, User, Max extends boolean = false>(
  options: VkMiniAppAuthOptions<Req, User, Max>,
  readDefault: (request: Req) => LaunchParamsInput,
): AuthenticateConnection<Req, User, Max> {
  // Checked here, before the spread below, which would turn a missing object into `{}`.
  if (options === null || typeof options !== 'object') {
    throw new TypeError('vk-miniapp-auth: options are required, at least { secret }.');
  }
  const { getCredentials = readDefault, resolveUser, maxAge, clockSkew, session, max } = options;
  if (typeof getCredentials !== 'function') {
    throw new TypeError('vk-miniapp-auth: options.getCredentials must be a function.');
  }
  const authenticate = createAuthenticate<Attempt<Req>, User, Max>({
    ...options,
    getCredentials: (attempt) => attempt.credential,
    // A resolveUser that is not a function is passed on as is, for the shared check to name it.
    resolveUser:
      typeof resolveUser === 'function'
        ? (params, attempt, launch) => resolveUser(params, attempt.request, launch)
        : resolveUser,
  });
  // Read once, like the options the shared check compiled: a later edit of the object changes neither.
  const expiry = {
    maxAge,
    clockSkew,
    session,
    // Its two numbers only: a copy, and the token stays out of it.
    max: max === undefined || max === null ? undefined : { maxAge: max.maxAge, clockSkew: max.clockSkew },
  };

  return async (request) => {
    const credential = await getCredentials(request);
    const vk = await authenticate({ request, credential }, undefined);
    return vk === null ? null : { vk, expiresAt: expiryOf(vk, credential, expiry) };
  };
}
