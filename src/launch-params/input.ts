import { fail, VkAuthError } from '../errors.js';
import { decodeBase64Utf8, looksLikeBase64 } from './base64.js';
import { MAX_INPUT_LENGTH } from './limits.js';
import { type Pair, PairCollector, printable } from './pairs.js';
import { type ParsedQuery, parseQuery } from './query.js';
import { rawPairsOf } from './raw-pairs.js';
import type { LaunchParams } from './types.js';

/**
 * Anything launch params travel in: a bare query, `?query`, a full URL,
 * base64/base64url of any of those, an `Authorization` value with scheme
 * `Bearer` or `VK`, a `URLSearchParams`, or a plain object such as Express's
 * `req.query` (an array value counts as a repeated key). `null` and
 * `undefined` (a header that was not sent) are refused as `MISSING_CREDENTIALS`.
 *
 * @example
 * ```ts
 * const inputs: LaunchParamsInput[] = [
 *   'vk_user_id=494075&vk_app_id=6736218&sign=…',
 *   `Bearer ${location.search.slice(1)}`,
 *   `VK ${btoa(location.search)}`,
 *   new URLSearchParams(location.search),
 *   req.query,
 * ];
 * ```
 */
export type LaunchParamsInput =
  | string
  | URLSearchParams
  | LaunchParams
  | Readonly<Record<string, unknown>>
  // A header that was not sent: refused as MISSING_CREDENTIALS, so `req.headers.authorization` can be passed as is.
  | null
  | undefined;

/** How the credential arrived, for messages and the CLI's `explain`. */
export type CredentialForm = 'query' | 'url' | 'base64' | 'url-search-params' | 'object' | 'launch-params';

/** The decoded pairs of a credential and how they were found. */
export interface Credential {
  readonly form: CredentialForm;
  /** `Bearer` or `VK` when an Authorization scheme was stripped. */
  readonly scheme?: string;
  /** The query string the pairs came from, when the input was text. */
  readonly query?: string;
  readonly pairs: readonly Pair[];
  /** The raw text of the signed pairs, when the query holds them as one sorted run (see {@link ParsedQuery}). */
  readonly signedRun?: string | undefined;
  /** The LaunchParams object the pairs were recorded on (form `launch-params`), to check it was not edited since. */
  readonly parsed?: object;
}

/**
 * What the reader found of a credential, recorded as it goes when a trace asks
 * for it (see src/trace.ts), so a refusal still shows how far reading got.
 * Verification passes none, and then nothing is recorded.
 */
export interface CredentialReading {
  form?: CredentialForm;
  scheme?: 'Bearer' | 'VK';
  /** What base64 decoded to, when the credential was base64 that decoded. */
  base64Decoded?: string;
  /** The query the pairs are read from, once found (no `?`, no `#fragment`). */
  query?: string;
}

const TOO_LARGE_MESSAGE = `Launch params over ${MAX_INPUT_LENGTH} characters are refused; real ones are far smaller.`;

/**
 * Reads any accepted input form into decoded pairs, or throws `VkAuthError`.
 * `reading`, when given, records what was found along the way.
 */
export function readCredential(input: unknown, reading?: CredentialReading): Credential {
  if (typeof input === 'string') return readText(input, reading);
  if (input === null || input === undefined) {
    return fail('MISSING_CREDENTIALS', 'No launch params were sent; send location.search in the Authorization header.');
  }
  try {
    return readStructured(input, reading);
  } catch (error) {
    // A proxy, a throwing getter or iterator: the object's own exception must not escape as
    // the app's error (a 500); whatever cannot be read is not launch params.
    if (VkAuthError.is(error)) throw error;
    return fail('MALFORMED', 'The launch params object could not be read; pass the raw query string instead.');
  }
}

function readStructured(input: unknown, reading: CredentialReading | undefined): Credential {
  if (typeof URLSearchParams !== 'undefined' && input instanceof URLSearchParams) {
    if (reading !== undefined) reading.form = 'url-search-params';
    return { form: 'url-search-params', pairs: readEntries(input) };
  }
  if (typeof input === 'object' && !Array.isArray(input)) {
    const raw = rawPairsOf(input as object);
    if (raw) {
      if (reading !== undefined) reading.form = 'launch-params';
      return { form: 'launch-params', pairs: raw, parsed: input as object };
    }
    if (reading !== undefined) reading.form = 'object';
    return { form: 'object', pairs: readObject(input as Record<string, unknown>) };
  }
  return fail('MALFORMED', 'Launch params must be a string, a URLSearchParams or a plain object of strings.');
}

function readText(input: string, reading: CredentialReading | undefined): Credential {
  if (input.length > MAX_INPUT_LENGTH) fail('TOO_LARGE', TOO_LARGE_MESSAGE);
  const split = splitScheme(input);
  const { scheme } = split;
  if (reading !== undefined && scheme !== undefined) reading.scheme = scheme;
  let text = split.rest;
  if (text === '') {
    return fail('MISSING_CREDENTIALS', 'No launch params were sent; send location.search in the Authorization header.');
  }
  let form: CredentialForm = 'query';
  if (looksLikeBase64(text)) {
    const decoded = decodeBase64Utf8(text);
    if (decoded === undefined || decoded.indexOf('=') === -1) {
      return fail('MALFORMED', 'The credential looks like base64 but does not decode to launch params.');
    }
    text = decoded;
    form = 'base64';
    if (reading !== undefined) reading.base64Decoded = decoded;
  }
  const { query, isUrl } = extractQuery(text);
  if (form === 'query' && isUrl) form = 'url';
  if (reading !== undefined) {
    reading.form = form;
    reading.query = query;
  }
  if (query.indexOf('=') === -1) {
    return fail('MALFORMED', 'The credential is not launch params: expected a query such as "vk_user_id=…&sign=…".');
  }
  const { pairs, signedRun } = parseQuery(query);
  return { form, scheme, query, pairs, signedRun };
}

/** Trims the text and takes an Authorization scheme (`Bearer`, `VK`, any case) off its front. */
export function splitScheme(input: string): { scheme: 'Bearer' | 'VK' | undefined; rest: string } {
  const text = input.trim();
  const scheme = schemeAt(text);
  if (scheme === undefined) return { scheme, rest: text };
  return { scheme, rest: text.slice(scheme.length).trim() };
}

/** An Authorization scheme VK launch params travel under, then a space, a tab or the end. */
const SCHEME = /^(bearer|vk)(?=[ \t]|$)/i;

/** The scheme `text` opens with, in any case, or `undefined`. */
function schemeAt(text: string): 'Bearer' | 'VK' | undefined {
  const match = SCHEME.exec(text);
  if (match === null) return undefined;
  return match[0].length === 2 ? 'VK' : 'Bearer';
}

/**
 * Drops a `#fragment`, then whatever precedes the first `?` when that prefix
 * looks like a URL or path rather than part of the query (VK leaves some
 * values, such as `vk_experiment`, unencoded, and a raw `?` may sit in one).
 */
export function extractQuery(text: string): { query: string; isUrl: boolean } {
  const hash = text.indexOf('#');
  const beforeHash = hash === -1 ? text : text.slice(0, hash);
  const question = beforeHash.indexOf('?');
  if (question === -1) return { query: beforeHash, isUrl: false };
  const prefix = beforeHash.slice(0, question);
  if (prefix.indexOf('=') !== -1 || prefix.indexOf('&') !== -1) return { query: beforeHash, isUrl: false };
  return { query: beforeHash.slice(question + 1), isUrl: prefix !== '' };
}

function readEntries(params: URLSearchParams): Pair[] {
  const collector = new PairCollector();
  let size = 0;
  for (const [key, value] of params) {
    size += key.length + value.length + 2;
    if (size > MAX_INPUT_LENGTH) fail('TOO_LARGE', TOO_LARGE_MESSAGE);
    collector.add(key, value);
  }
  return collector.pairs;
}

function readObject(object: Record<string, unknown>): Pair[] {
  const collector = new PairCollector();
  let size = 0;
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined) continue;
    const text = valueText(key, value);
    size += key.length + text.length + 2;
    if (size > MAX_INPUT_LENGTH) fail('TOO_LARGE', TOO_LARGE_MESSAGE);
    collector.add(key, text);
  }
  return collector.pairs;
}

function valueText(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) {
    return fail(
      'DUPLICATE_PARAM',
      `The parameter "${printable(key)}" has several values; launch params never repeat a key, so this one was tampered with.`,
    );
  }
  return fail(
    'MALFORMED',
    `The parameter "${printable(key)}" is not a string. Pass the raw query string (location.search) rather than parsed or converted data.`,
  );
}
