import { toMilliseconds } from '../../launch-params/typed.js';
import { DEFAULT_CLOCK_SKEW, DEFAULT_MAX_AGE } from '../../options.js';
import type { SessionOptions } from '../../session/options.js';
import type { VkOrMaxContext } from './context.js';
import type { MaxAdapterOptions } from './options.js';
import { isSessionToken } from './session.js';

/** What {@link expiryOf} reads of an adapter's options: the values verification used. */
export interface ExpiryOptions {
  readonly maxAge?: number | undefined;
  readonly clockSkew?: number | undefined;
  readonly session?: SessionOptions | undefined;
  readonly max?: Pick<MaxAdapterOptions, 'maxAge' | 'clockSkew'> | undefined;
}

/**
 * When the credential a connection was let in by stops being accepted, in
 * milliseconds since the epoch, or `undefined` when it never does. The
 * real-time adapters (`vk-miniapp-auth/socket.io`, `vk-miniapp-auth/ws`) use
 * it: a request is checked again on the next request, but a connection lives
 * on, so it has to be told when its credential would be refused.
 *
 * The instant is the one verification itself would start refusing at, so that
 * a connection never outlives what a fresh request could do:
 *
 * - launch params: `vk_ts` plus `maxAge` plus `clockSkew` (what
 *   `checkFreshness` allows); never with `maxAge: 0` or without `vk_ts`;
 * - MAX init data: `auth_date` plus the `max` option's `maxAge` and
 *   `clockSkew`; never with its `maxAge: 0`;
 * - a session token (with `session` set, a credential shaped as one, as the
 *   adapters tell them apart): its `exp` plus the session's `clockSkew`,
 *   which is the tolerance `jose` applies to it. `maxLifetime` needs no term
 *   of its own: a token's `exp` is never past it.
 *
 * Call it only for a credential that has just verified: a session token's
 * payload is read here without checking its signature again.
 */
export function expiryOf(vk: VkOrMaxContext<unknown>, credential: unknown, options: ExpiryOptions): number | undefined {
  if (vk.platform === 'max') {
    const { maxAge = DEFAULT_MAX_AGE, clockSkew = DEFAULT_CLOCK_SKEW } = options.max ?? {};
    return maxAge === 0 ? undefined : vk.max.auth_date.getTime() + (maxAge + clockSkew) * 1000;
  }
  if (options.session !== undefined && isSessionToken(credential)) {
    const skewS = options.session.clockSkew ?? DEFAULT_CLOCK_SKEW;
    return sessionExpiryS(credential) * 1000 + skewS * 1000;
  }
  const maxAgeS = options.maxAge ?? DEFAULT_MAX_AGE;
  if (maxAgeS === 0 || vk.params.vk_ts === undefined) return undefined;
  return toMilliseconds(vk.params.vk_ts) + (maxAgeS + (options.clockSkew ?? DEFAULT_CLOCK_SKEW)) * 1000;
}

/** The `exp` claim (Unix seconds) of a compact JWS, `Bearer ` or not, whose signature has been checked. */
function sessionExpiryS(token: string): number {
  const payload = token.trim().split('.')[1] ?? '';
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
  // atob rather than Buffer: this file is shared with the adapters that run without Node's APIs.
  const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  const { exp } = JSON.parse(new TextDecoder().decode(bytes)) as { exp?: unknown };
  // jose required a numeric `exp` before this token was let in: anything else is a bug, not a client's doing.
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new Error('vk-miniapp-auth: a verified session token has no numeric exp claim.');
  }
  return exp;
}
