import { fail } from '../errors.js';
import type { Pair } from './pairs.js';

// Characters both encodings leave as they are; most launch params are made only
// of these, so the common case costs one regexp test per key and value.
const UNRESERVED = /^[A-Za-z0-9_.-]*$/;
// Characters the two encodings write differently.
const ENCODINGS_DIFFER = /[ !'()*~]/;
// Where PHP's urlencode (RFC 1738) and encodeURIComponent differ, once encoded.
const RFC3986_TO_PHP = /%20|[!'()*~]/g;
const PHP_ESCAPES: Readonly<Record<string, string>> = {
  '%20': '+',
  '!': '%21',
  "'": '%27',
  '(': '%28',
  ')': '%29',
  '*': '%2A',
  '~': '%7E',
};

// A `%XX` that PHP's urlencode and encodeURIComponent both write exactly so: upper-case
// hex of a byte outside `A-Z a-z 0-9 - _ .` that is not a space or one of `! ' ( ) * ~`.
const CANONICAL_ESCAPE = '%(?:[0189A-F][0-9A-F]|2[2-6BCF]|3[A-F]|40|5[B-E]|60|7[B-DF])';
const CANONICAL_TEXT = `[A-Za-z0-9_.-]*(?:${CANONICAL_ESCAPE}[A-Za-z0-9_.-]*)*`;
// `k=v` pairs joined by `&`, each side canonical. Unambiguous, so linear on any input.
const CANONICAL_RUN = new RegExp(`^${CANONICAL_TEXT}=${CANONICAL_TEXT}(?:&${CANONICAL_TEXT}=${CANONICAL_TEXT})*$`);

/**
 * Whether raw query text of sorted `k=v` pairs is already their canonical
 * string, in both encodings at once: decoding it and encoding it again would
 * give it back unchanged. (Decoding succeeded before this is asked, so every
 * `%XX` run is valid UTF-8, which encodes back to the same bytes.)
 */
export function isCanonicalRun(text: string): boolean {
  return CANONICAL_RUN.test(text);
}

/** The canonical string in both encodings VK might have used. */
export interface CanonicalStrings {
  /** PHP `urlencode` form, as VK's reference code builds it: the canonical one. */
  readonly php: string;
  /** `encodeURIComponent` form, present only when it differs from `php`. */
  readonly uri?: string;
}

/** Whether a pair takes part in the signature: every `vk_*` key, known or not. */
export function isSignedKey(key: string): boolean {
  return key.charCodeAt(0) === 118 && key.charCodeAt(1) === 107 && key.charCodeAt(2) === 95; // "vk_"
}

/** The signed pairs, sorted by key in UTF-16 code-unit order. */
export function signedPairs(pairs: readonly Pair[]): Pair[] {
  const signed: Pair[] = [];
  let sorted = true;
  for (const pair of pairs) {
    if (!isSignedKey(pair.key)) continue;
    if (sorted && signed.length > 0 && (signed[signed.length - 1] as Pair).key > pair.key) sorted = false;
    signed.push(pair);
  }
  // VK sends its params sorted already; keys are unique (repeats are refused), so no tie needs breaking.
  return sorted ? signed : signed.sort((a, b) => (a.key < b.key ? -1 : 1));
}

/**
 * Builds the string VK signs from sorted signed pairs: `k=v` joined by `&`, each
 * side re-encoded. Returns the `encodeURIComponent` variant too, only when a
 * key or value holds a space or one of `! ' ( ) * ~`.
 */
export function canonicalStrings(sorted: readonly Pair[]): CanonicalStrings {
  let php = '';
  let differs = false;
  for (let i = 0; i < sorted.length; i++) {
    const { key, value } = sorted[i] as Pair;
    php += `${i === 0 ? '' : '&'}${phpUrlencode(key)}=${phpUrlencode(value)}`;
    differs ||= ENCODINGS_DIFFER.test(key) || ENCODINGS_DIFFER.test(value);
  }
  if (!differs) return { php };
  let uri = '';
  for (let i = 0; i < sorted.length; i++) {
    const { key, value } = sorted[i] as Pair;
    uri += `${i === 0 ? '' : '&'}${encodeUri(key)}=${encodeUri(value)}`;
  }
  return { php, uri };
}

/** PHP's `urlencode`: `A-Z a-z 0-9 - _ .` stay, space is `+`, every other byte `%XX`. */
export function phpUrlencode(text: string): string {
  return UNRESERVED.test(text) ? text : toPhp(encodeUri(text));
}

function toPhp(encoded: string): string {
  return encoded.replace(RFC3986_TO_PHP, (match) => PHP_ESCAPES[match] as string);
}

function encodeUri(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    // Only a lone UTF-16 surrogate gets here: it has no UTF-8 form, so no VK signature covers it.
    return fail('MALFORMED', 'The launch params contain text that is not valid Unicode.');
  }
}
