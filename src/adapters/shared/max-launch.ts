import { fail } from '../../errors.js';
import { MAX_INPUT_LENGTH } from '../../launch-params/limits.js';
import { type CompiledMaxOptions, compileMaxOptions, type MaxVerifyOptions } from '../../max/options.js';
import type { MaxInitData } from '../../max/types.js';
import { verifyMaxInitDataWith } from '../../max/verify.js';
import { MissingOptionError } from '../../missing-option.js';
import type { MaxLaunch, VerifiedMaxInitData } from './context.js';
import type { MaxAdapterOptions } from './options.js';

/** Verifies a MAX credential into the launch it carries; rejects with a `VkAuthError`. */
export type MaxStep = (credential: unknown) => Promise<MaxLaunch>;

/**
 * The MAX step of an adapter given the `max` option; `now` is the adapter's
 * clock. Throws like `compileMaxOptions`: a `TypeError` naming a bad option,
 * a `MissingOptionError` for a `botToken` with no value.
 */
export function createMaxStep(max: MaxAdapterOptions, now: (() => number) | undefined): MaxStep {
  if (max === null || typeof max !== 'object') {
    throw new TypeError('vk-miniapp-auth: options.max must be an object: { botToken }.');
  }
  const compiled = compileMax(now === undefined ? max : { ...max, now });
  return async (credential) => launchOf(await verifyMaxInitDataWith(credential, compiled));
}

/** `compileMaxOptions`, its errors naming the option as the adapter's: `options.max.maxAge`. */
function compileMax(options: MaxVerifyOptions): CompiledMaxOptions {
  try {
    return compileMaxOptions(options);
  } catch (error) {
    if (error instanceof MissingOptionError) throw new MissingOptionError('max.botToken', 'MAX_BOT_TOKEN');
    if (error instanceof TypeError) throw new TypeError(error.message.replace('options.', 'options.max.'));
    throw error;
  }
}

function launchOf(max: MaxInitData): MaxLaunch {
  const { user } = max;
  if (user === undefined) {
    return fail(
      'USER_ID_MISSING',
      'These MAX init data name no user, so there is no one to let in: send window.WebApp.initData from the mini app.',
    );
  }
  // Verified data are read-only, as the VK launch params are.
  Object.freeze(user);
  if (max.chat !== undefined) Object.freeze(max.chat);
  Object.freeze(max);
  return { platform: 'max', userId: user.id, max: max as VerifiedMaxInitData };
}

// The forms MAX init data travel in (src/max/input.ts), told from VK launch params by what
// only MAX sends: its own Authorization schemes, a `WebAppData` fragment pair, or a top-level
// `hash` pair where VK sends `sign`. Only top-level keys count: a value may hold anything
// encoded, such as a photo URL with `&sign=` in it.
const SCHEME = /^[ \t]*(tma|max|bearer|vk)(?:[ \t]+|$)/i;

/**
 * Whether a credential is MAX init data rather than VK launch params: the
 * scheme `tma` or `max`; or, under `Bearer` or no scheme, a launch URL whose
 * fragment holds `WebAppData`, or pairs with a `hash` (or `WebAppData`) key
 * and no `sign` key, as sent or URL-encoded once more. The scheme `VK`, and
 * anything else, goes to the VK check, whose refusals say what VK expects.
 * Oversized text is left to the VK check too, which refuses it as
 * `TOO_LARGE` before reading it.
 */
export function isMaxCredential(credential: unknown): boolean {
  if (typeof credential !== 'string' || credential.length > MAX_INPUT_LENGTH) return false;
  const scheme = SCHEME.exec(credential);
  if (scheme === null) return isMaxText(credential.trim(), false);
  const word = (scheme[1] as string).toLowerCase();
  if (word === 'tma' || word === 'max') return true;
  return word === 'bearer' && isMaxText(credential.slice(scheme[0].length).trim(), false);
}

/** {@link isMaxCredential} for the text after the scheme; `decoded` once the encoded form was read. */
function isMaxText(text: string, decoded: boolean): boolean {
  let query = text;
  const fragment = query.indexOf('#');
  if (fragment !== -1) {
    // A launch URL or fragment: MAX's carries WebAppData there; VK's query comes before it.
    if (hasKey(query.slice(fragment + 1), 'WebAppData')) return true;
    query = query.slice(0, fragment);
  }
  if (!decoded && query.indexOf('=') === -1 && /%3d/i.test(query)) {
    // Init data URL-encoded once more, as `WebAppData` stands in the URL.
    try {
      return isMaxText(decodeURIComponent(query), true);
    } catch {
      return false;
    }
  }
  query = query.slice(query.indexOf('?') + 1);
  return !hasKey(query, 'sign') && (hasKey(query, 'hash') || hasKey(query, 'WebAppData'));
}

/** Whether `key` is one of the top-level keys of `key=value` pairs joined by `&`. */
function hasKey(pairs: string, key: string): boolean {
  for (const pair of pairs.split('&')) {
    if (pair === key || pair.startsWith(`${key}=`)) return true;
  }
  return false;
}
