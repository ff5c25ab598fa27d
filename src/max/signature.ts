import { backend } from '#crypto';
import type { Pair } from '../launch-params/pairs.js';

// MAX's published algorithm (dev.max.ru/docs/webapps/validation, the same as
// Telegram's for its mini apps):
//   secret_key        = HMAC-SHA256(key = "WebAppData", message = bot token)
//   data_check_string = every pair but `hash`, decoded, sorted by key, "key=value" joined by "\n"
//   hash              = hex(HMAC-SHA256(key = secret_key, message = data_check_string))

/** The constant key MAX derives the `secret_key` with. */
export const SECRET_KEY_CONSTANT = 'WebAppData';

/** A `hash` as MAX writes it: HMAC-SHA256 in lower-case hex, 64 digits. */
export const HASH_SHAPE = /^[0-9a-f]{64}$/;

/** `HMAC-SHA256(key = "WebAppData", message = botToken)`: the key init data are signed with. */
export function deriveSecretKey(botToken: string): Uint8Array | Promise<Uint8Array> {
  return backend.hmacSha256(SECRET_KEY_CONSTANT, botToken);
}

/**
 * The data-check string of decoded pairs: every pair but `hash`, sorted by
 * key, written `key=value`, joined by line feeds. Keys are plain ASCII (see
 * `KEY` in pairs.ts) and sorted in code-unit order, which is byte order
 * (Python's `sorted`, Go's `sort.Strings`). MAX's TypeScript example sorts
 * with `localeCompare`, which agrees on lower-case letters and `_`, all that
 * MAX's keys hold (auth_date, chat, ip, query_id, start_param, user), and
 * could differ only on digits or capitals.
 */
export function dataCheckString(pairs: readonly Pair[]): string {
  // Keys are unique (pairs.ts refuses a repeat), so the order of the keys is the order of the lines.
  return pairs
    .filter((pair) => pair.key !== 'hash')
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((pair) => `${pair.key}=${pair.value}`)
    .join('\n');
}

/** `hex(HMAC-SHA256(secretKey, checkString))`: the `hash` MAX would send for these data. */
export async function hashOf(secretKey: Uint8Array, checkString: string): Promise<string> {
  return toHex(await backend.hmacSha256(secretKey, checkString));
}

const HEX = '0123456789abcdef';

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    hex += HEX[byte >>> 4] + (HEX[byte & 15] as string);
  }
  return hex;
}
