import { isMissing, MissingOptionError } from '../missing-option.js';
import { DEFAULT_CLOCK_SKEW, DEFAULT_MAX_AGE, readNow, seconds } from '../options.js';
import { deriveSecretKey } from './signature.js';

/**
 * How MAX init data are verified.
 *
 * @example
 * ```ts
 * const options: MaxVerifyOptions = {
 *   botToken: process.env.MAX_BOT_TOKEN!,
 *   maxAge: 3600, // seconds; 0 turns the age check off
 * };
 * ```
 */
export interface MaxVerifyOptions {
  /** The token of the MAX bot the mini app belongs to. Never logged, never put in an error. */
  botToken: string;
  /** Oldest accepted `auth_date`, in seconds. Default 3600 (1 hour); `0` turns the age check off. */
  maxAge?: number;
  /** Tolerated clock difference with MAX, in seconds, for expiry and for an `auth_date` in the future. Default 30. */
  clockSkew?: number;
  /** The current time in milliseconds, like `Date.now` (for tests). */
  now?: () => number;
}

/**
 * {@link MaxVerifyOptions} checked once, for callers (the adapters) that
 * compile them at start-up. The token is not on the object: only a function
 * giving the `secret_key` derived from it, computed on first use and kept.
 */
export interface CompiledMaxOptions {
  /** `HMAC-SHA256(key = "WebAppData", message = bot token)`, computed once. */
  readonly secretKey: () => Uint8Array | Promise<Uint8Array>;
  readonly maxAgeMs: number;
  readonly clockSkewMs: number;
  readonly now: () => number;
}

/**
 * Checks the options, throwing a `TypeError` that names the bad one (never
 * its value: it may be the token), or a {@link MissingOptionError} when
 * `botToken` has no value at all. `prefix` goes before the names of MAX's own
 * options in those errors: `'max.'` for an adapter's `max` option.
 */
export function compileMaxOptions(options: MaxVerifyOptions, prefix = ''): CompiledMaxOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('vk-miniapp-auth: options are required, at least { botToken }.');
  }
  const secretKey = secretKeyOf(readBotToken(options.botToken, `${prefix}botToken`));
  return {
    secretKey,
    maxAgeMs: seconds(`${prefix}maxAge`, options.maxAge, DEFAULT_MAX_AGE) * 1000,
    clockSkewMs: seconds(`${prefix}clockSkew`, options.clockSkew, DEFAULT_CLOCK_SKEW) * 1000,
    now: readNow(options.now),
  };
}

/** The bot token, or the `TypeError` a missing or mistyped one deserves; `name` is the option's name in it. */
export function readBotToken(botToken: unknown, name = 'botToken'): string {
  if (isMissing(botToken)) throw new MissingOptionError(name, 'MAX_BOT_TOKEN');
  if (typeof botToken !== 'string') {
    throw new TypeError(`vk-miniapp-auth: options.${name} must be the MAX bot's token, a non-empty string.`);
  }
  return botToken;
}

/** The secret key of `botToken`, derived on the first call and kept. */
export function secretKeyOf(botToken: string): () => Uint8Array | Promise<Uint8Array> {
  let key: Uint8Array | Promise<Uint8Array> | undefined;
  return () => {
    if (key === undefined) key = deriveSecretKey(botToken);
    return key;
  };
}
