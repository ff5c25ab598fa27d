import { fail } from '../errors.js';
import { FORBIDDEN_KEYS } from '../launch-params/limits.js';
import { parsePositiveId } from '../launch-params/numbers.js';
import type { Pair } from '../launch-params/pairs.js';
import { toMilliseconds } from '../launch-params/typed.js';
import type { MaxChat, MaxInitData, MaxUser } from './types.js';

/**
 * `auth_date` as Unix milliseconds. MAX documents Unix seconds; a value above
 * 10^12 is read as milliseconds already, as the core reads `vk_ts`. Missing
 * or empty is `TS_MISSING`, anything but a positive integer `MALFORMED`.
 */
export function authDateMs(pairs: readonly Pair[]): number {
  const text = pairs.find((pair) => pair.key === 'auth_date')?.value;
  if (text === undefined || text === '') {
    return fail('TS_MISSING', 'The MAX init data carry no auth_date, so when MAX signed them is unknown.');
  }
  const value = parsePositiveId(text);
  if (value === undefined) return fail('MALFORMED', 'auth_date must be a positive integer: Unix time in seconds.');
  return toMilliseconds(value);
}

/**
 * Converts decoded pairs to {@link MaxInitData}: `user` and `chat` parsed from
 * JSON and checked, `auth_date` as a `Date`, every other key as its string.
 */
export function toMaxInitData(pairs: readonly Pair[], authDate: number): MaxInitData {
  const data = { auth_date: new Date(authDate) } as MaxInitData;
  for (const { key, value } of pairs) {
    if (key === 'auth_date') continue;
    if (key === 'user') data.user = readUser(value);
    else if (key === 'chat') data.chat = readChat(value);
    else data[key] = value;
  }
  return data;
}

function readUser(text: string): MaxUser {
  const user = readObject('user', text);
  if (!isId(user.id) || (user.id as number) <= 0) fail('MALFORMED', 'user.id must be a positive integer.');
  if (typeof user.first_name !== 'string') fail('MALFORMED', 'user.first_name must be a string.');
  for (const field of ['last_name', 'username', 'language_code', 'photo_url'] as const) {
    const value = user[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      fail('MALFORMED', `user.${field} must be a string or null.`);
    }
  }
  return user as MaxUser;
}

function readChat(text: string): MaxChat {
  const chat = readObject('chat', text);
  if (!isId(chat.id)) fail('MALFORMED', 'chat.id must be an integer.');
  if (typeof chat.type !== 'string') fail('MALFORMED', 'chat.type must be a string.');
  return chat as MaxChat;
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * Deeper than anything MAX sends (its objects are flat): the bound is checked
 * before parsing, so hostile nesting costs one linear scan and no recursion.
 */
const MAX_JSON_DEPTH = 16;

/** `text` parsed as a JSON object, refusing bad JSON, another type, deep nesting and prototype keys. */
function readObject(field: string, text: string): Record<string, unknown> {
  if (jsonDepth(text) > MAX_JSON_DEPTH) fail('MALFORMED', `${field} is nested deeper than MAX ever sends.`);
  let value: unknown;
  try {
    value = JSON.parse(text, refusePrototypeKeys);
  } catch {
    return fail('MALFORMED', `${field} is not valid JSON, or holds a key such as "__proto__".`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail('MALFORMED', `${field} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function refusePrototypeKeys(key: string, value: unknown): unknown {
  // Caught by readObject: JSON.parse makes such keys own properties, but a
  // consumer's Object.assign or merge would write the prototype through them.
  if (FORBIDDEN_KEYS.has(key)) throw new TypeError('forbidden key');
  return value;
}

/** The deepest nesting of `[` and `{` in JSON text, outside strings; one pass, no recursion. */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // a backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}
