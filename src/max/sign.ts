import { FORBIDDEN_KEYS } from '../launch-params/limits.js';
import type { Pair } from '../launch-params/pairs.js';
import { readBotToken } from './options.js';
import { KEY, opensAnotherPair } from './pairs.js';
import { dataCheckString, deriveSecretKey, hashOf } from './signature.js';

/**
 * What {@link signMaxInitData} signs: the fields of {@link MaxInitData}, with
 * `auth_date` as a `Date` or a number (written as given: Unix seconds, or
 * milliseconds to test that form), now when left out. `user` and `chat` are
 * objects, written as JSON, or strings written as they are (to sign data MAX
 * would never send, for tests). Any other key takes a string or a number.
 *
 * @example
 * ```ts
 * const data: MaxInitDataToSign = {
 *   user: { id: 67890, first_name: 'Max', language_code: 'ru' },
 *   chat: { id: 12345, type: 'DIALOG' },
 *   query_id: '4c0ab423-342b-4e45-aea4-2747dbc500cd',
 *   auth_date: new Date(),
 * };
 * ```
 */
export interface MaxInitDataToSign {
  /** The user: an object, written as JSON, or a string written as it is. */
  user?: Readonly<Record<string, unknown>> | string;
  /** The chat: an object, written as JSON, or a string written as it is. */
  chat?: Readonly<Record<string, unknown>> | string;
  /** The launch's session id. */
  query_id?: string;
  /** The `startapp` value of the link. */
  start_param?: string;
  /** An IP address, as MAX's example has one. */
  ip?: string;
  /** When MAX signed: a `Date`, or a number written as given (Unix seconds, or milliseconds). Now when left out. */
  auth_date?: Date | number;
  /** Any other key MAX might send: ASCII letters, digits, `_`, `.` or `-`. */
  [key: string]: unknown;
}

/**
 * Signs init data as MAX does, with a bot token: for tests and local
 * development, where no MAX client opens the app. Resolves to the init data
 * string (`window.WebApp.initData`): values URL-encoded with
 * `encodeURIComponent`, keys sorted, `hash` last. Never ship a real bot token
 * to a client to call this there.
 *
 * Data the library would refuse to sign throw a `TypeError`: a key that is not
 * plain ASCII or is `hash`, a value that is not well-formed Unicode or holds a
 * line reading as another `key=value` pair, a `user` or `chat` that cannot be
 * written as JSON.
 *
 * @example
 * ```ts
 * import { signMaxInitData, verifyMaxInitData } from 'vk-miniapp-auth/max';
 *
 * const initData = await signMaxInitData({ user: { id: 1, first_name: 'Test' } }, 'test-bot-token');
 * const data = await verifyMaxInitData(initData, { botToken: 'test-bot-token' });
 * console.log(data.user?.id); // 1
 * ```
 */
export async function signMaxInitData(data: MaxInitDataToSign, botToken: string): Promise<string> {
  const token = readBotToken(botToken);
  if (data === null || typeof data !== 'object') {
    throw new TypeError('vk-miniapp-auth: signMaxInitData takes the init data as an object.');
  }
  const pairs = pairsToSign(data).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const query = pairs.map(({ key, value }) => `${key}=${encode(key, value)}`).join('&');
  return `${query}&hash=${await hashOf(await deriveSecretKey(token), dataCheckString(pairs))}`;
}

function pairsToSign(data: MaxInitDataToSign): Pair[] {
  const pairs: Pair[] = [];
  let hasAuthDate = false;
  for (const key of Object.keys(data)) {
    const value = data[key];
    if (value === undefined) continue;
    if (!KEY.test(key) || FORBIDDEN_KEYS.has(key)) {
      throw new TypeError(`vk-miniapp-auth: signMaxInitData cannot sign the key "${key.slice(0, 40)}".`);
    }
    if (key === 'hash') throw new TypeError('vk-miniapp-auth: signMaxInitData computes the hash; leave it out.');
    const text = key === 'auth_date' ? authDateText(value) : valueText(key, value);
    if (key === 'auth_date') hasAuthDate = true;
    if (opensAnotherPair(text)) {
      throw new TypeError(
        `vk-miniapp-auth: the value of "${key}" holds a line reading as another key=value pair, which verification refuses.`,
      );
    }
    pairs.push({ key, value: text });
  }
  if (!hasAuthDate) pairs.push({ key: 'auth_date', value: String(Math.floor(Date.now() / 1000)) });
  return pairs;
}

function authDateText(value: unknown): string {
  if (value instanceof Date && Number.isFinite(value.getTime())) return String(Math.floor(value.getTime() / 1000));
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  throw new TypeError(
    'vk-miniapp-auth: auth_date must be a Date or a positive integer (Unix seconds or milliseconds).',
  );
}

function valueText(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if ((key === 'user' || key === 'chat') && typeof value === 'object' && value !== null) {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      // Reported below: a cycle, a BigInt, a throwing toJSON.
    }
    if (typeof json === 'string') return json;
    throw new TypeError(`vk-miniapp-auth: ${key} cannot be written as JSON.`);
  }
  throw new TypeError(`vk-miniapp-auth: the value of "${key}" must be a string or a number.`);
}

function encode(key: string, value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate: no UTF-8 form, so no client could have sent it.
    throw new TypeError(`vk-miniapp-auth: the value of "${key}" is not well-formed Unicode.`);
  }
}
