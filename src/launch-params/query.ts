import { fail } from '../errors.js';
import { isSignedKey } from './canonical.js';
import { type Pair, PairCollector } from './pairs.js';

/** The pairs of a query, and the raw text of its signed pairs when they sit together in order. */
export interface ParsedQuery {
  readonly pairs: Pair[];
  /**
   * The raw text of the `vk_*` pairs when they form one run of `k=v` pairs in
   * sorted order, with nothing between them. VK's own launch URLs are made so,
   * and then this text is the very string VK signed (see `signedBy` in verify.ts).
   */
  readonly signedRun: string | undefined;
}

/**
 * Splits a query on `&`, each pair on its first `=`, and decodes key and value
 * separately with form semantics (`+` is a space, `%XX` are UTF-8 bytes).
 * Decoding the whole string first would let an encoded `&` or `=` inside a
 * value split it.
 */
export function parseQuery(query: string): ParsedQuery {
  const collector = new PairCollector();
  // The next "%" or "+": a key or value that ends before it needs no decoding,
  // which spares two indexOf calls per key and per value in the usual query.
  let special = nextSpecial(query, 0);
  // Where the signed pairs start and end, and whether they are one sorted run of `k=v`.
  let runStart = -1;
  let runEnd = -1;
  let inOrder = true;
  let maxKey = '';
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) {
      const plain = special >= end;
      const eq = query.indexOf('=', start);
      const hasValue = eq !== -1 && eq < end;
      const rawKey = query.slice(start, hasValue ? eq : end);
      const key = plain || (hasValue && special > eq) ? rawKey : decodeFormComponent(rawKey);
      let value = '';
      if (hasValue) {
        const rawValue = query.slice(eq + 1, end);
        value = plain ? rawValue : decodeFormComponent(rawValue);
      }
      if (isSignedKey(key)) {
        // VK sends its keys in order: one greater than all before it is new, with no search for a repeat.
        const ascending = key > maxKey;
        if (ascending) {
          collector.addNew(key, value);
          maxKey = key;
        } else collector.add(key, value);
        if (runStart === -1) runStart = start;
        else if (start !== runEnd + 1 || !ascending) inOrder = false;
        if (!hasValue) inOrder = false;
        runEnd = end;
      } else collector.add(key, value);
      if (!plain) special = nextSpecial(query, end);
    }
    start = end + 1;
  }
  return { pairs: collector.pairs, signedRun: inOrder && runStart !== -1 ? query.slice(runStart, runEnd) : undefined };
}

/** The index of the first "%" or "+" at or after `from`, or the length of `text`. */
function nextSpecial(text: string, from: number): number {
  const percent = text.indexOf('%', from);
  const plus = text.indexOf('+', from);
  if (percent === -1) return plus === -1 ? text.length : plus;
  return plus === -1 || percent < plus ? percent : plus;
}

const MALFORMED_LAUNCH_PARAMS =
  'The launch params contain a malformed "%" escape or bytes that are not UTF-8; send location.search exactly as VK gave it.';

/**
 * Decodes one key or value of an `application/x-www-form-urlencoded` string;
 * a bad escape is `MALFORMED`, with `malformedMessage` saying what to send instead.
 */
export function decodeFormComponent(raw: string, malformedMessage = MALFORMED_LAUNCH_PARAMS): string {
  const hasPlus = raw.indexOf('+') !== -1;
  const percent = raw.indexOf('%');
  if (!hasPlus && percent === -1) return raw;
  const spaced = hasPlus ? raw.replace(/\+/g, ' ') : raw;
  if (percent === -1) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return fail('MALFORMED', malformedMessage);
  }
}

/** One pair of a query as it was sent and as it decodes, refused or not: what a trace shows. */
export interface QueryPair {
  /** The key and value as sent; `rawValue` is `undefined` when the pair has no `=`. */
  readonly rawKey: string;
  readonly rawValue: string | undefined;
  /** Decoded with form semantics; the raw text when `malformed`. */
  readonly key: string;
  readonly value: string;
  /** A bad `%` escape or bytes that are not UTF-8, which {@link parseQuery} refuses. */
  readonly malformed: boolean;
  /** A later occurrence of a key seen before, which {@link parseQuery} refuses. */
  readonly duplicate: boolean;
}

/**
 * Every pair of a query, split as {@link parseQuery} splits it (on `&`, each
 * pair on its first `=`, empty segments skipped) and decoded as it decodes,
 * but refusing nothing: a repeated key and a bad escape are marked, and the
 * pairs after them still read. For a trace to show, never to decide: only
 * `parseQuery` reads a credential, and a property test holds the two to the
 * same pairs wherever it accepts the query.
 */
export function readQueryPairs(query: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  const seen = new Set<string>();
  for (const segment of query.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const rawKey = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? undefined : segment.slice(eq + 1);
    const key = tryDecodeFormComponent(rawKey);
    const value = rawValue === undefined ? '' : tryDecodeFormComponent(rawValue);
    const shownKey = key ?? rawKey;
    pairs.push({
      rawKey,
      rawValue,
      key: shownKey,
      value: value ?? rawValue ?? '',
      malformed: key === undefined || value === undefined,
      duplicate: seen.has(shownKey),
    });
    seen.add(shownKey);
  }
  return pairs;
}

/** {@link decodeFormComponent}, or `undefined` for a bad escape. */
export function tryDecodeFormComponent(raw: string): string | undefined {
  try {
    return decodeFormComponent(raw);
  } catch {
    return undefined;
  }
}
