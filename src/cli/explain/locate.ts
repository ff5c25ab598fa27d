import { decodeBase64Utf8, looksLikeBase64 } from '../../launch-params/base64.js';
import { extractQuery, splitScheme } from '../../launch-params/input.js';
import { MAX_INPUT_LENGTH } from '../../launch-params/limits.js';
import { decodeFormComponent } from '../../launch-params/query.js';

/**
 * Where the query sits in the input. The same steps as the library's reader
 * (`readCredential`, whose pieces it reuses), but it never throws, so `explain` can still show the
 * pairs of input the library refuses (a repeated key, a bad escape).
 */
export interface Located {
  readonly form: 'query' | 'url' | 'base64' | null;
  readonly scheme: 'Bearer' | 'VK' | null;
  /** What base64 decoded to. */
  readonly decoded: string | null;
  /** Whether the base64 held a URL rather than a query. */
  readonly decodedIsUrl: boolean;
  /** `null` when no query could be found. */
  readonly query: string | null;
}

/** Finds the query in any text form of launch params. */
export function locate(input: string): Located {
  const none = { form: null, scheme: null, decoded: null, decodedIsUrl: false, query: null } as const;
  if (input.length > MAX_INPUT_LENGTH) return none;
  const split = splitScheme(input);
  const scheme = split.scheme ?? null;
  let text = split.rest;
  if (text === '') return { ...none, scheme };
  let decoded: string | null = null;
  if (looksLikeBase64(text)) {
    const result = decodeBase64Utf8(text);
    if (result === undefined || result.indexOf('=') === -1) return { ...none, scheme };
    decoded = result;
    text = result;
  }
  const { query, isUrl } = extractQuery(text);
  const form = decoded !== null ? 'base64' : isUrl ? 'url' : 'query';
  return { form, scheme, decoded, decodedIsUrl: decoded !== null && isUrl, query };
}

/** One pair of a query, raw and decoded. */
export interface RawPair {
  readonly rawKey: string;
  /** `null` when the pair has no `=`. */
  readonly rawValue: string | null;
  readonly key: string;
  readonly value: string;
  /** Decoding failed; `key` and `value` then hold the raw text. */
  readonly malformed: boolean;
}

/**
 * Splits a query as the library does (on `&`, each pair on its first `=`,
 * empty segments skipped) and decodes each side, keeping repeats and marking
 * bad escapes instead of throwing.
 */
export function splitPairs(query: string): RawPair[] {
  const pairs: RawPair[] = [];
  for (const segment of query.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const rawKey = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? null : segment.slice(eq + 1);
    const key = tryDecode(rawKey);
    const value = rawValue === null ? '' : tryDecode(rawValue);
    const malformed = key === undefined || value === undefined;
    pairs.push({ rawKey, rawValue, key: key ?? rawKey, value: value ?? rawValue ?? '', malformed });
  }
  return pairs;
}

/** Form-decodes one key or value, or `undefined` for a bad escape. */
export function tryDecode(raw: string): string | undefined {
  try {
    return decodeFormComponent(raw);
  } catch {
    return undefined;
  }
}
