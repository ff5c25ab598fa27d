import { fail } from '../errors.js';
import { isSignedKey } from './canonical.js';
import { parseInteger, parsePositiveId } from './numbers.js';
import type { Pair } from './pairs.js';
import { printable } from './pairs.js';
import { attachRawPairs } from './raw-pairs.js';
import type { LaunchParams } from './types.js';

/** The key fields every launch carries, checked before any crypto runs. */
export interface Identity {
  readonly userId: number;
  readonly appId: number;
  readonly sign: string;
}

/** Finds `sign`, `vk_user_id` and `vk_app_id`, refusing a missing sign and missing or non-numeric ids. */
export function readIdentity(pairs: readonly Pair[]): Identity {
  let user: string | undefined;
  let app: string | undefined;
  let sign: string | undefined;
  for (const { key, value } of pairs) {
    if (key === 'vk_user_id') user = value;
    else if (key === 'vk_app_id') app = value;
    else if (key === 'sign') sign = value;
  }
  if (sign === undefined || sign === '')
    fail('SIGN_MISSING', 'The launch params carry no sign; send the whole query VK gave the app.');
  if (user === undefined || user === '') fail('USER_ID_MISSING', 'The launch params carry no vk_user_id.');
  if (app === undefined || app === '') fail('APP_ID_MISSING', 'The launch params carry no vk_app_id.');
  return { userId: positiveId('vk_user_id', user), appId: positiveId('vk_app_id', app), sign };
}

/**
 * Converts pairs to `LaunchParams` with real types; keeps unknown `vk_*` keys as
 * strings and drops everything that is not signed (apart from `sign`).
 */
export function toLaunchParams(pairs: readonly Pair[], identity: Identity): LaunchParams {
  const params = { vk_user_id: identity.userId, vk_app_id: identity.appId, sign: identity.sign } as LaunchParams;
  for (let i = 0; i < pairs.length; i++) {
    const { key, value } = pairs[i] as Pair;
    if (isSignedKey(key)) setTyped(params, key as `vk_${string}`, value);
  }
  attachRawPairs(params, pairs);
  return params;
}

// One case per documented key, writing a named property: a key sliced from the
// query is a fresh string, and using it as a computed property name makes the
// engine look it up in its string table first, which costs more than this
// whole switch. Only undocumented keys take that path.
function setTyped(params: LaunchParams, key: `vk_${string}`, value: string): void {
  switch (key) {
    case 'vk_user_id':
    case 'vk_app_id':
      return; // already typed by readIdentity
    case 'vk_ts':
      if (value !== '') params.vk_ts = integer(key, value);
      return;
    case 'vk_is_app_user':
      if (value !== '') params.vk_is_app_user = flag(key, value);
      return;
    case 'vk_are_notifications_enabled':
      if (value !== '') params.vk_are_notifications_enabled = flag(key, value);
      return;
    case 'vk_is_favorite':
      if (value !== '') params.vk_is_favorite = flag(key, value);
      return;
    case 'vk_language':
      params.vk_language = value;
      return;
    case 'vk_platform':
      params.vk_platform = value;
      return;
    case 'vk_ref':
      params.vk_ref = value;
      return;
    case 'vk_access_token_settings':
      params.vk_access_token_settings = value === '' ? [] : value.split(',');
      return;
    case 'vk_viewer_group_role':
      params.vk_viewer_group_role = value;
      return;
    case 'vk_chat_id':
      params.vk_chat_id = value;
      return;
    case 'vk_group_id':
    case 'vk_is_recommended':
    case 'vk_has_profile_button':
    case 'vk_is_play_machine':
    case 'vk_is_widescreen':
    case 'vk_profile_id':
    case 'vk_testing_group_id':
      // Rarer integers share one computed store.
      if (value !== '') params[key] = integer(key, value);
      return;
    default:
      params[key] = value;
  }
}

/** Reads `vk_ts` as Unix milliseconds (a value above 10^12 already is). */
export function timestampMs(pairs: readonly Pair[]): number | undefined {
  for (const { key, value } of pairs) {
    if (key !== 'vk_ts' || value === '') continue;
    return toMilliseconds(integer(key, value));
  }
  return undefined;
}

/** `vk_ts` is Unix seconds, but some OK launches send milliseconds: a value above 10^12 already is. */
export function toMilliseconds(ts: number): number {
  return ts > 1e12 ? ts : ts * 1000;
}

function positiveId(key: string, value: string): number {
  return parsePositiveId(value) ?? fail('MALFORMED', `${key} must be a positive integer.`);
}

function integer(key: string, value: string): number {
  return parseInteger(value) ?? fail('MALFORMED', `${printable(key)} must be an integer.`);
}

function flag(key: string, value: string): boolean {
  if (value === '1') return true;
  if (value === '0') return false;
  return fail('MALFORMED', `${printable(key)} must be 0 or 1.`);
}
