import { isMissing, MissingOptionError } from '../missing-option.js';
import { readAppIds, readNow, seconds } from '../options.js';

/**
 * How session tokens are made and checked.
 *
 * @example
 * ```ts
 * const session: SessionOptions = {
 *   secret: process.env.VK_SESSION_SECRET!, // 32 random bytes, e.g. `openssl rand -base64 32`
 *   ttl: 900, // each token is good for 15 minutes, renewed while in use
 *   maxLifetime: 86400, // and no chain of renewals outlives the launch by more than a day
 *   appId: 6736218,
 * };
 * ```
 */
export interface SessionOptions {
  /**
   * The key tokens are signed with (HS256): at least 32 characters, and not
   * the app's Secure key (see docs/sessions.md, "The secret"). A list rotates
   * keys: the first signs, every one verifies, so dropping a key revokes every
   * token it signed. Never logged, never put in an error.
   */
  secret: string | readonly string[];
  /** How long one token is good for, in seconds. Default 900 (15 minutes). */
  ttl?: number;
  /**
   * How long after the launch (its `vk_ts`) sessions may go on, in seconds,
   * however often they are renewed. Default 86400 (a day).
   */
  maxLifetime?: number;
  /** Accept only tokens of these apps' launches. */
  appId?: number | string | readonly (number | string)[];
  /** Tolerated clock difference between the servers that issue and verify, in seconds. Default 30. */
  clockSkew?: number;
  /** The current time in milliseconds, like `Date.now` (for tests). The adapters pass theirs. */
  now?: () => number;
}

/** Default `ttl`: fifteen minutes. */
export const DEFAULT_SESSION_TTL = 900;
/** Default `maxLifetime`: a day. */
export const DEFAULT_SESSION_MAX_LIFETIME = 86400;
/** Longer tokens are refused unread: a real one is well under 2 KiB. */
export const MAX_SESSION_TOKEN_LENGTH = 16384;
/** The shortest secret accepted: 256 bits of text, as HS256 asks for (RFC 7518, section 3.2). */
export const MIN_SESSION_SECRET_LENGTH = 32;

/** Session options checked once, so a misconfiguration fails at start-up. */
export interface CompiledSessionOptions {
  /** The secrets: the first signs, all verify. */
  readonly secrets: readonly string[];
  readonly ttlS: number;
  readonly maxLifetimeS: number;
  readonly appIds: ReadonlySet<number> | undefined;
  readonly clockSkewS: number;
  readonly now: () => number;
}

/**
 * Validates session options, throwing a `TypeError` that names the bad option
 * (never its value) or a {@link MissingOptionError} for a secret with no value.
 */
export function compileSessionOptions(options: SessionOptions): CompiledSessionOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('vk-miniapp-auth: session options are required, at least { secret }.');
  }
  const ttlS = seconds('session.ttl', options.ttl, DEFAULT_SESSION_TTL);
  const maxLifetimeS = seconds('session.maxLifetime', options.maxLifetime, DEFAULT_SESSION_MAX_LIFETIME);
  if (ttlS <= 0 || !Number.isInteger(ttlS)) {
    throw new TypeError('vk-miniapp-auth: options.session.ttl must be a whole number of seconds, 1 or more.');
  }
  if (maxLifetimeS <= 0 || !Number.isInteger(maxLifetimeS)) {
    throw new TypeError('vk-miniapp-auth: options.session.maxLifetime must be a whole number of seconds, 1 or more.');
  }
  if (options.appId !== undefined && isMissing(options.appId)) throw new MissingOptionError('session.appId');
  return {
    secrets: readSessionSecrets(options.secret),
    ttlS,
    maxLifetimeS,
    appIds: options.appId === undefined ? undefined : readAppIds(options.appId),
    clockSkewS: seconds('session.clockSkew', options.clockSkew, 30),
    now: readNow(options.now),
  };
}

function readSessionSecrets(secret: unknown): readonly string[] {
  const list: unknown[] = Array.isArray(secret) ? secret : [secret];
  if (list.length === 0 || list.some(isMissing)) throw new MissingOptionError('session.secret');
  return list.map((item) => {
    if (typeof item !== 'string') {
      throw new TypeError('vk-miniapp-auth: options.session.secret must be a string or a list of strings.');
    }
    if (item.length < MIN_SESSION_SECRET_LENGTH) {
      throw new TypeError(
        `vk-miniapp-auth: options.session.secret must be at least ${MIN_SESSION_SECRET_LENGTH} characters; ` +
          "make one with `openssl rand -base64 32`, and do not reuse the app's Secure key.",
      );
    }
    return item;
  });
}
