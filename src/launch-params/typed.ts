import { fail } from '../errors.js';
import { isSignedKey } from './canonical.js';
import { parseInteger, parsePositiveId } from './numbers.js';
import type { Pair } from './pairs.js';
import { printable } from './pairs.js';
import { attachRawPairs } from './raw-pairs.js';
import type { LaunchParams } from './types.js';

/** The key fields every launch carries, checked before any crypto runs, and its raw `vk_ts`. */
export interface Identity {
  readonly userId: number;
  readonly appId: number;
  readonly sign: string;
  /** `vk_ts` as sent, `undefined` without one: read with the rest, to spare another pass. */
  readonly ts: string | undefined;
}

/** Finds `sign`, `vk_user_id` and `vk_app_id`, refusing a missing sign and missing or non-numeric ids. */
export function readIdentity(pairs: readonly Pair[]): Identity {
  let user: string | undefined;
  let app: string | undefined;
  let sign: string | undefined;
  let ts: string | undefined;
  for (let i = 0; i < pairs.length; i++) {
    const { key, value } = pairs[i] as Pair;
    if (key === 'vk_user_id') user = value;
    else if (key === 'vk_app_id') app = value;
    else if (key === 'sign') sign = value;
    else if (key === 'vk_ts') ts = value;
  }
  if (sign === undefined || sign === '')
    fail('SIGN_MISSING', 'The launch params carry no sign; send the whole query VK gave the app.');
  if (user === undefined || user === '') fail('USER_ID_MISSING', 'The launch params carry no vk_user_id.');
  if (app === undefined || app === '') fail('APP_ID_MISSING', 'The launch params carry no vk_app_id.');
  return { userId: positiveId('vk_user_id', user), appId: positiveId('vk_app_id', app), sign, ts };
}

/**
 * Converts pairs to `LaunchParams` with real types; keeps unknown `vk_*` keys as
 * strings and drops everything that is not signed (apart from `sign`).
 */
export function toLaunchParams(pairs: readonly Pair[], identity: Identity): LaunchParams {
  const params = { vk_user_id: identity.userId, vk_app_id: identity.appId, sign: identity.sign } as LaunchParams;
  let unsigned = 0;
  for (let i = 0; i < pairs.length; i++) {
    const { key, value } = pairs[i] as Pair;
    if (!isSignedKey(key)) {
      unsigned++;
      continue;
    }
    const assign = documentedField(key);
    if (assign === undefined) params[key as `vk_${string}`] = value;
    else assign(params, value);
  }
  // Only the signed pairs and `sign` can matter to a later verification. The
  // rest is dropped: a verified object may be kept for a whole session (the
  // adapters' cache), and a credential padded with thousands of tiny unsigned
  // pairs must not cost more than its text.
  attachRawPairs(params, unsigned > 1 ? pairs.filter((pair) => isSignedKey(pair.key) || pair.key === 'sign') : pairs);
  return params;
}

/** Writes one documented field, converted; an empty value of a typed field carries nothing and is left out. */
type Assign = (params: LaunchParams, value: string) => void;

type FieldKey = `vk_${string}`;

const DOCUMENTED_FIELDS: readonly (readonly [key: string, assign: Assign])[] = [
  ['vk_user_id', () => {}], // typed by readIdentity
  ['vk_app_id', () => {}],
  [
    'vk_access_token_settings',
    (params, value) => {
      params.vk_access_token_settings = value === '' ? [] : value.split(',');
    },
  ],
  ...fields(
    integerField,
    'vk_ts',
    'vk_group_id',
    'vk_is_recommended',
    'vk_has_profile_button',
    'vk_is_play_machine',
    'vk_is_widescreen',
    'vk_profile_id',
    'vk_testing_group_id',
    'vk_ok_user_id',
    'vk_ok_app_id',
  ),
  ...fields(flagField, 'vk_is_app_user', 'vk_are_notifications_enabled', 'vk_is_favorite'),
  ...fields(stringField, 'vk_language', 'vk_platform', 'vk_ref', 'vk_viewer_group_role', 'vk_chat_id', 'vk_client'),
];

function fields(writer: (key: FieldKey) => Assign, ...keys: FieldKey[]): [string, Assign][] {
  return keys.map((key) => [key, writer(key)]);
}

// Found by length, then compared with the one or two keys of that length: a
// Map would hash every key, and a key sliced from the query is a fresh string
// whose hash the engine computes anew each time, at several times the cost.
const FIELDS_BY_LENGTH: (readonly [string, Assign])[][] = [];
for (const field of DOCUMENTED_FIELDS) {
  const length = field[0].length;
  FIELDS_BY_LENGTH[length] = [...(FIELDS_BY_LENGTH[length] ?? []), field];
}

function documentedField(key: string): Assign | undefined {
  const candidates = FIELDS_BY_LENGTH[key.length];
  if (candidates === undefined) return undefined;
  for (let i = 0; i < candidates.length; i++) {
    const field = candidates[i] as readonly [string, Assign];
    if (field[0] === key) return field[1];
  }
  return undefined;
}

function integerField(key: FieldKey): Assign {
  return (params, value) => {
    if (value !== '') params[key] = integer(key, value);
  };
}

function flagField(key: FieldKey): Assign {
  return (params, value) => {
    if (value !== '') params[key] = flag(key, value);
  };
}

function stringField(key: FieldKey): Assign {
  return (params, value) => {
    params[key] = value;
  };
}

/** Reads `vk_ts` as Unix milliseconds (a value above 10^12 already is). */
export function timestampMs(pairs: readonly Pair[]): number | undefined {
  for (const { key, value } of pairs) {
    if (key === 'vk_ts') return timestampTextMs(value);
  }
  return undefined;
}

/** `vk_ts` text as Unix milliseconds; `undefined` for an empty one, which carries nothing. */
export function timestampTextMs(text: string | undefined): number | undefined {
  return text === undefined || text === '' ? undefined : toMilliseconds(integer('vk_ts', text));
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
