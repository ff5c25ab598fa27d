import { fail } from '../../errors.js';
import { MAX_INPUT_LENGTH } from '../../launch-params/limits.js';
import { type CompiledMaxOptions, compileMaxOptions, type MaxVerifyOptions } from '../../max/options.js';
import type { MaxInitData } from '../../max/types.js';
import { verifyMaxInitDataWith } from '../../max/verify.js';
import { MissingOptionError } from '../../missing-option.js';
import type { MaxLaunch } from './context.js';
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
  return { platform: 'max', userId: user.id, max };
}

// The forms MAX init data travel in (src/max/input.ts), told from VK launch params by what
// only MAX sends: its own Authorization schemes, a `WebAppData` fragment pair, or a `hash`
// pair (plain or URL-encoded once more) where VK sends `sign`.
const MAX_SCHEME = /^[ \t]*(?:tma|max)(?:[ \t]|$)/i;
const VK_SIGN_PAIR = /(?:^|[?&#\s]|%26|%3F)sign(?:=|%3D)/i;
const MAX_PAIR = /(?:^|[?&#\s]|%26|%3F)(?:hash(?:=|%3D)|WebAppData=)/i;

/**
 * Whether a credential is MAX init data rather than VK launch params. A MAX
 * scheme says so; otherwise the text must hold MAX's `hash` (or a
 * `WebAppData` fragment) and no VK `sign`. Anything else goes to the VK check,
 * whose refusals say what VK expects. Oversized text is left to the VK check
 * too, which refuses it as `TOO_LARGE` before reading it.
 */
export function isMaxCredential(credential: unknown): boolean {
  if (typeof credential !== 'string' || credential.length > MAX_INPUT_LENGTH) return false;
  if (MAX_SCHEME.test(credential)) return true;
  return !VK_SIGN_PAIR.test(credential) && MAX_PAIR.test(credential);
}
