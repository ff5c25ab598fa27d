import { fail } from '../errors.js';
import { type Pair, PairCollector } from './pairs.js';

/**
 * Splits a query on `&`, each pair on its first `=`, and decodes key and value
 * separately with form semantics (`+` is a space, `%XX` are UTF-8 bytes).
 * Decoding the whole string first would let an encoded `&` or `=` inside a
 * value split it.
 */
export function parseQuery(query: string): Pair[] {
  const collector = new PairCollector();
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) {
      const eq = query.indexOf('=', start);
      if (eq === -1 || eq > end) {
        collector.add(decodeFormComponent(query.slice(start, end)), '');
      } else {
        collector.add(decodeFormComponent(query.slice(start, eq)), decodeFormComponent(query.slice(eq + 1, end)));
      }
    }
    start = end + 1;
  }
  return collector.pairs;
}

/** Decodes one key or value of an `application/x-www-form-urlencoded` string. */
export function decodeFormComponent(raw: string): string {
  const hasPlus = raw.indexOf('+') !== -1;
  if (!hasPlus && raw.indexOf('%') === -1) return raw;
  const spaced = hasPlus ? raw.replace(/\+/g, ' ') : raw;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return fail(
      'MALFORMED',
      'The launch params contain a malformed "%" escape or bytes that are not UTF-8; send location.search exactly as VK gave it.',
    );
  }
}
