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
    if (!isSignedKey(key)) continue;
    const field = documentedField(key);
    if (field === undefined) params[key as `vk_${string}`] = value;
    else if (field.kind === 'identity') continue; // typed by readIdentity
    else if (field.kind === 'string') params[field.key] = value;
    else if (field.kind === 'list') params[field.key] = value === '' ? [] : splitOnCommas(value);
    // An empty value of a typed field carries nothing: treat it as absent.
    else if (value !== '') params[field.key] = field.kind === 'integer' ? integer(key, value) : flag(key, value);
  }
  attachRawPairs(params, pairs);
  return params;
}

type Kind = 'identity' | 'integer' | 'boolean' | 'list' | 'string';

/** A documented key (vk-protocol.md §1) and the type of its value. */
interface Field {
  readonly key: `vk_${string}`;
  readonly kind: Kind;
}

const FIELDS: readonly Field[] = [
  { key: 'vk_user_id', kind: 'identity' },
  { key: 'vk_app_id', kind: 'identity' },
  { key: 'vk_ts', kind: 'integer' },
  { key: 'vk_group_id', kind: 'integer' },
  { key: 'vk_is_recommended', kind: 'integer' },
  { key: 'vk_has_profile_button', kind: 'integer' },
  { key: 'vk_is_play_machine', kind: 'integer' },
  { key: 'vk_is_widescreen', kind: 'integer' },
  { key: 'vk_profile_id', kind: 'integer' },
  { key: 'vk_testing_group_id', kind: 'integer' },
  { key: 'vk_is_app_user', kind: 'boolean' },
  { key: 'vk_are_notifications_enabled', kind: 'boolean' },
  { key: 'vk_is_favorite', kind: 'boolean' },
  { key: 'vk_access_token_settings', kind: 'list' },
  { key: 'vk_language', kind: 'string' },
  { key: 'vk_platform', kind: 'string' },
  { key: 'vk_ref', kind: 'string' },
  { key: 'vk_viewer_group_role', kind: 'string' },
  { key: 'vk_chat_id', kind: 'string' },
];

// Indexed by key length, so a key is compared with one or two candidates. Writing
// through the table's own key matters as much: a key sliced from the query is a
// fresh string, and a computed property name that is one makes the engine look
// it up in its string table first, which costs more than this whole search.
const FIELDS_BY_LENGTH: (Field[] | undefined)[] = [];
for (const field of FIELDS) (FIELDS_BY_LENGTH[field.key.length] ??= []).push(field);

/** `value.split(',')`, written out: the built-in split costs three times as much on a short list. */
function splitOnCommas(value: string): string[] {
  const items: string[] = [];
  let start = 0;
  for (let comma = value.indexOf(','); comma !== -1; comma = value.indexOf(',', start)) {
    items.push(value.slice(start, comma));
    start = comma + 1;
  }
  items.push(value.slice(start));
  return items;
}

function documentedField(key: string): Field | undefined {
  const candidates = FIELDS_BY_LENGTH[key.length];
  if (candidates === undefined) return undefined;
  for (let i = 0; i < candidates.length; i++) if ((candidates[i] as Field).key === key) return candidates[i];
  return undefined;
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
