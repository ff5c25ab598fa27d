import { fail } from './errors.js';
import { isMissing, MissingOptionError } from './missing-option.js';

/**
 * The app's Secure key ("Защищённый ключ"): one string, several (key rotation:
 * any may match), or a map from app id to them (one back end, several apps).
 *
 * @example
 * ```ts
 * const one: SecretOption = process.env.VK_APP_SECRET!;
 * const rotating: SecretOption = [newSecret, oldSecret];
 * const perApp: SecretOption = { 6736218: secretA, 7648434: [secretB, oldSecretB] };
 * ```
 */
export type SecretOption = string | readonly string[] | Readonly<Record<string | number, string | readonly string[]>>;

/**
 * How launch params are verified.
 *
 * @example
 * ```ts
 * const options: VerifyOptions = {
 *   secret: process.env.VK_APP_SECRET!,
 *   appId: 6736218,
 *   maxAge: 3600, // seconds; 0 turns the expiry check off
 * };
 * ```
 */
export interface VerifyOptions {
  /** The Secure key(s); see {@link SecretOption}. Never logged, never put in an error. */
  secret: SecretOption;
  /** Accept only these apps' launches. With a per-app secret map, the map's keys are the default. */
  appId?: number | string | readonly (number | string)[];
  /** Oldest accepted `vk_ts`, in seconds. Default 3600 (1 hour, as VK advises); `0` turns expiry off. */
  maxAge?: number;
  /** Tolerated clock difference with VK, in seconds, both for expiry and for a `vk_ts` in the future. Default 30. */
  clockSkew?: number;
  /** The current time in milliseconds, like `Date.now` (for tests). */
  now?: () => number;
}

/** Default `maxAge`: one hour, as the Python package, VK's course and VK's old docs use. */
export const DEFAULT_MAX_AGE = 3600;
/** Default `clockSkew`, in seconds. */
export const DEFAULT_CLOCK_SKEW = 30;

/** Options checked and normalised once, so a misconfiguration fails at start-up. */
export interface CompiledOptions {
  /** The secrets that may have signed a launch of `appId`; throws for an app that is not accepted. */
  readonly secretsFor: (appId: number) => readonly string[];
  readonly maxAgeMs: number;
  readonly clockSkewMs: number;
  readonly now: () => number;
}

/**
 * Validates options, throwing a `TypeError` that names the bad option (never
 * its value: it may be the secret); a {@link MissingOptionError} when a
 * required one has no value at all.
 */
export function compileOptions(options: VerifyOptions): CompiledOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('vk-miniapp-auth: options are required, at least { secret }.');
  }
  if (options.appId !== undefined && isMissing(options.appId)) throw new MissingOptionError('appId');
  const appIds = options.appId === undefined ? undefined : readAppIds(options.appId);
  const secretsFor = compileSecrets(options.secret, appIds);
  return {
    secretsFor,
    maxAgeMs: seconds('maxAge', options.maxAge, DEFAULT_MAX_AGE) * 1000,
    clockSkewMs: seconds('clockSkew', options.clockSkew, DEFAULT_CLOCK_SKEW) * 1000,
    now: readNow(options.now),
  };
}

function compileSecrets(secret: unknown, appIds: ReadonlySet<number> | undefined): CompiledOptions['secretsFor'] {
  if (isMissing(secret)) throw new MissingOptionError('secret');
  if (typeof secret === 'string' || Array.isArray(secret)) {
    const secrets = readSecretList(secret, 'secret');
    return (appId) => {
      if (appIds && !appIds.has(appId)) rejectApp(appId);
      return secrets;
    };
  }
  if (secret === null || typeof secret !== 'object') {
    throw new TypeError(
      "vk-miniapp-auth: options.secret must be the app's Secure key, a list of keys, or a map { [appId]: key }.",
    );
  }
  const perApp = new Map<number, readonly string[]>();
  for (const key of Object.keys(secret)) {
    const appId = Number(key);
    if (!Number.isSafeInteger(appId) || appId <= 0) {
      throw new TypeError(`vk-miniapp-auth: options.secret has the key "${key}", which is not an app id.`);
    }
    perApp.set(appId, readSecretList((secret as Record<string, unknown>)[key], `secret[${key}]`));
  }
  if (perApp.size === 0) throw new TypeError('vk-miniapp-auth: options.secret is an empty map.');
  return (appId) => {
    if (appIds && !appIds.has(appId)) rejectApp(appId);
    const secrets = perApp.get(appId);
    if (secrets === undefined) {
      return fail('UNKNOWN_APP', `No secret is configured for app ${appId}; add it to the secret map.`);
    }
    return secrets;
  };
}

function rejectApp(appId: number): never {
  return fail('APP_ID_MISMATCH', `These launch params are for app ${appId}, which this server does not accept.`);
}

function readSecretList(value: unknown, name: string): readonly string[] {
  // The usual case, one key, skips the copy: options are compiled on every verifyLaunchParams call.
  if (typeof value === 'string' && value !== '') return Object.freeze([value]);
  const list = Array.isArray(value) ? value : [value];
  if (list.some(isMissing)) throw new MissingOptionError(name);
  if (list.length === 0 || !list.every((item) => typeof item === 'string' && item !== '')) {
    throw new TypeError(`vk-miniapp-auth: options.${name} must be a non-empty string or a non-empty list of them.`);
  }
  return Object.freeze([...list]);
}

/** `appId` as a set of app ids, or a `TypeError`. */
export function readAppIds(value: unknown): ReadonlySet<number> {
  const list = Array.isArray(value) ? value : [value];
  const ids = list.map((item) => (typeof item === 'string' && /^\d+$/.test(item) ? Number(item) : item));
  if (ids.length === 0 || !ids.every((id) => Number.isSafeInteger(id) && (id as number) > 0)) {
    throw new TypeError('vk-miniapp-auth: options.appId must be a positive integer or a list of them.');
  }
  return new Set(ids as number[]);
}

export function seconds(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`vk-miniapp-auth: options.${name} must be a number of seconds, 0 or more.`);
  }
  return value;
}

export function readNow(now: unknown): () => number {
  if (now === undefined) return Date.now;
  if (typeof now !== 'function') throw new TypeError('vk-miniapp-auth: options.now must be a function like Date.now.');
  return now as () => number;
}
