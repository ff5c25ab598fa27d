import { fail } from '../errors.js';
import { isSignedKey } from './canonical.js';
import { parseInteger, parsePositiveId } from './numbers.js';
import type { Pair } from './pairs.js';
import { printable } from './pairs.js';
import { attachRawPairs } from './raw-pairs.js';
import type { LaunchParams } from './types.js';

type Kind = 'integer' | 'boolean' | 'list';

// Documented keys whose values are not plain strings (vk-protocol.md §1).
const KINDS: Readonly<Record<string, Kind>> = {
  vk_ts: 'integer',
  vk_group_id: 'integer',
  vk_is_recommended: 'integer',
  vk_has_profile_button: 'integer',
  vk_is_play_machine: 'integer',
  vk_is_widescreen: 'integer',
  vk_profile_id: 'integer',
  vk_testing_group_id: 'integer',
  vk_is_app_user: 'boolean',
  vk_are_notifications_enabled: 'boolean',
  vk_is_favorite: 'boolean',
  vk_access_token_settings: 'list',
};

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
  for (const { key, value } of pairs) {
    if (!isSignedKey(key) || key === 'vk_user_id' || key === 'vk_app_id') continue;
    const kind = KINDS[key];
    if (kind === undefined) params[key as `vk_${string}`] = value;
    else if (kind === 'list') params[key as `vk_${string}`] = value === '' ? [] : value.split(',');
    // An empty value of a typed field carries nothing: treat it as absent.
    else if (value !== '') params[key as `vk_${string}`] = kind === 'integer' ? integer(key, value) : flag(key, value);
  }
  attachRawPairs(params, pairs);
  return params;
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
