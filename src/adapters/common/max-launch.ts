import { fail } from '../../errors.js';
import { MAX_INPUT_LENGTH } from '../../launch-params/limits.js';
import { compileMaxOptions } from '../../max/options.js';
import type { MaxInitData } from '../../max/types.js';
import { verifyMaxInitDataWith } from '../../max/verify.js';
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
  // Errors name the adapter's option: `options.max.maxAge`.
  const compiled = compileMaxOptions(now === undefined ? max : { ...max, now }, 'max.');
  return async (credential) => launchOf(await verifyMaxInitDataWith(credential, compiled));
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
const SCHEME = /^(tma|max|bearer|vk)(?:[ \t]+|$)/i;

/**
 * Whether a credential is MAX init data rather than VK launch params: the
 * scheme `tma` or `max`; or, under `Bearer` or no scheme, pairs with no
 * top-level `sign` key and either a top-level `hash` (or `WebAppData`) key or
 * a fragment holding `WebAppData`, as sent or URL-encoded once more. The
 * scheme `VK`, and anything else, goes to the VK check, whose refusals say
 * what VK expects. Oversized text is left to the VK check too, which refuses
 * it as `TOO_LARGE` before reading it.
 */
export function isMaxCredential(credential: unknown): boolean {
  if (typeof credential !== 'string' || credential.length > MAX_INPUT_LENGTH) return false;
  // Trimmed first, as both verifiers trim before they read a scheme.
  const text = credential.trim();
  const scheme = SCHEME.exec(text);
  if (scheme === null) return isMaxText(text, false);
  const word = (scheme[1] as string).toLowerCase();
  if (word === 'tma' || word === 'max') return true;
  return word === 'bearer' && isMaxText(text.slice(scheme[0].length).trim(), false);
}

/** {@link isMaxCredential} for the text after the scheme; `decoded` once the encoded form was read. */
function isMaxText(text: string, decoded: boolean): boolean {
  const hash = text.indexOf('#');
  const beforeFragment = hash === -1 ? text : text.slice(0, hash);
  // The query: after a URL's `?` (a prefix with no `=` or `&`, as the VK check reads it).
  const question = beforeFragment.indexOf('?');
  const prefix = question === -1 ? '' : beforeFragment.slice(0, question);
  const query = question !== -1 && !/[=&]/.test(prefix) ? beforeFragment.slice(question + 1) : beforeFragment;
  // A VK sign in the query settles it, whatever the fragment holds (anyone can set a fragment).
  if (hasKey(query, 'sign')) return false;
  if (hash !== -1 && hasKey(text.slice(hash + 1), 'WebAppData')) return true;
  if (!decoded && hash === -1 && query.indexOf('=') === -1 && /%3d/i.test(query)) {
    // Init data (or a launch URL) URL-encoded once more, as `WebAppData` stands in the URL.
    try {
      return isMaxText(decodeURIComponent(text), true);
    } catch {
      return false;
    }
  }
  return hasKey(query, 'hash') || hasKey(query, 'WebAppData');
}

/** Whether `key` is one of the top-level keys of `key=value` pairs joined by `&`. */
function hasKey(pairs: string, key: string): boolean {
  for (const pair of pairs.split('&')) {
    if (pair === key || pair.startsWith(`${key}=`)) return true;
  }
  return false;
}
