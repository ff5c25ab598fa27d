import { type CanonicalStrings, canonicalStrings, isSignedKey, phpUrlencode } from '../../launch-params/canonical.js';
import { SIGN_SHAPE } from '../../launch-params/limits.js';
import type { Pair } from '../../launch-params/pairs.js';
import { tryDecodeFormComponent as tryDecode } from '../../launch-params/query.js';
import { signMessage } from '../../signature.js';
import type { TracedPair } from '../../trace.js';
import type { ExplainReport, Pitfall } from './report.js';

// The known wrong ways to compute the string to sign, tried when the sign does
// not match. They work on what the trace read (every pair, as sent and decoded,
// repeated ones included): explain has no reader of its own.

type Cause = NonNullable<ExplainReport['cause']>;

/** What trying the wrong computations found: each one tried, and the cause when one matched. */
export interface SignatureDiagnosis {
  readonly tried: { pitfall: Pitfall; matched: boolean }[];
  readonly cause: Cause | undefined;
}

/**
 * Tries every wrong computation that applies to `pairs` under `secret`, and
 * names the one that gives `received` (or `wrong-secret` when none does and
 * the sign has VK's shape). `canonical` and `expected` are the right strings
 * and their signs, when there are any: they are not tried again.
 */
export async function diagnoseSignature(
  pairs: readonly TracedPair[],
  query: string,
  received: string,
  secret: string,
  canonical: CanonicalStrings | undefined,
  expected: { readonly php: string; readonly uri: string | undefined } | undefined,
): Promise<SignatureDiagnosis> {
  const tried: { pitfall: Pitfall; matched: boolean }[] = [];
  let cause: Cause | undefined;
  const tested = new Set<string>(canonical === undefined ? [] : [canonical.php, canonical.uri ?? canonical.php]);
  const wellFormed = SIGN_SHAPE.test(received);
  if (!wellFormed && expected !== undefined) {
    const normal = normaliseSign(received);
    const hit = normal === expected.php || normal === expected.uri;
    tried.push({ pitfall: 'sign-reformatted', matched: hit });
    if (hit) {
      cause = {
        pitfall: 'sign-reformatted',
        message: `The sign is ${received.length} characters, not VK's 43 base64url ones, but once put back in that shape (padding dropped, "+" and "/" as "-" and "_") it matches: something re-encoded the sign. Pass it on exactly as VK sent it.`,
      };
    }
  }
  for (const computation of wrongComputations(pairs, query)) {
    let hit = false;
    let fresh = false;
    for (const message of computation.messages) {
      if (tested.has(message)) continue;
      tested.add(message);
      fresh = true;
      if ((await signMessage(secret, message)) === received) hit = true;
    }
    if (!fresh) continue;
    const last = tried[tried.length - 1];
    if (last?.pitfall === computation.pitfall) last.matched ||= hit;
    else tried.push({ pitfall: computation.pitfall, matched: hit });
    if (hit && cause === undefined) cause = { pitfall: computation.pitfall, message: computation.explanation };
  }
  if (cause === undefined && wellFormed) {
    const names = [...new Set(tried.map((entry) => entry.pitfall))];
    const alternatives = names.length > 0 ? ` Also tried, without a match: ${names.join(', ')}.` : '';
    cause = {
      pitfall: 'wrong-secret',
      message: `The sign matches neither canonical string.${alternatives} So the secret is not this app's Secure key ("Защищённый ключ" in the app's settings, not the service token), or the params were changed after VK signed them.`,
    };
  }
  return { tried, cause };
}

/**
 * A known wrong way to compute the string to sign: when the received sign is
 * the HMAC of one of `messages` under the secret, `explanation` says what went
 * wrong and how to fix it.
 */
export interface WrongComputation {
  readonly pitfall: Pitfall;
  readonly messages: readonly string[];
  readonly explanation: string;
}

const byKey = <T extends { readonly key: string }>(list: readonly T[]): T[] =>
  [...list].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

const bothEncodings = (pairs: readonly Pair[]): string[] => {
  const { php, uri } = canonicalStrings(pairs);
  return uri === undefined ? [php] : [php, uri];
};

const join = (pairs: readonly { readonly key: string; readonly value: string }[]) =>
  pairs.map(({ key, value }) => `${key}=${value}`).join('&');

const ESCAPE = /%[0-9A-Fa-f]{2}/;

/**
 * Every wrong computation that could apply to these pairs (those that cannot
 * differ from the right one are left out), the most telling first. `query` is
 * the raw query the pairs came from.
 */
export function wrongComputations(pairs: readonly TracedPair[], query: string): WrongComputation[] {
  const found: WrongComputation[] = [];
  const add = (pitfall: Pitfall, explanation: string, messages: () => string[]) => {
    try {
      found.push({ pitfall, explanation, messages: messages() });
    } catch {
      // A computation that cannot be made (text that is not Unicode) cannot have been used.
    }
  };
  const signed = pairs.filter((pair) => isSignedKey(pair.key));
  const counts = new Map<string, number>();
  for (const { key } of pairs) counts.set(key, (counts.get(key) ?? 0) + 1);
  const repeated = [...counts].filter(([key, count]) => count > 1 && isSignedKey(key)).map(([key]) => key);

  if (repeated.length > 0) {
    const keep = (which: 'first' | 'last') => {
      const kept = new Map<string, TracedPair>();
      for (const pair of signed) if (which === 'last' || !kept.has(pair.key)) kept.set(pair.key, pair);
      return byKey([...kept.values()]);
    };
    const names = repeated.map((key) => `"${key}"`).join(', ');
    add(
      'duplicate-key',
      `${names} appears more than once, and the sign matches the params with only the first value of each: the later one was appended after VK signed them (a tampering attempt, or a client that adds a param the query already holds). Any repeated key is refused, because parsers disagree on which value counts.`,
      () => bothEncodings(keep('first')),
    );
    add(
      'duplicate-key',
      `${names} appears more than once, and the sign matches the params with only the last value of each: an earlier one was inserted after VK signed them (a tampering attempt, or a client that adds a param the query already holds). Any repeated key is refused, because parsers disagree on which value counts.`,
      () => bothEncodings(keep('last')),
    );
    // With a key repeated there is no one canonical string to build the other computations on.
    return found;
  }

  const sorted = byKey(signed);
  if (sorted.some((pair) => ESCAPE.test(pair.value))) {
    add(
      'double-encoded',
      'A value arrived percent-encoded twice (a "%2C" as "%252C"), and the sign matches it decoded once more: something between VK and here encoded the query again. Send location.search exactly as it is, without encodeURIComponent or URLSearchParams over values that are already encoded.',
      () => bothEncodings(sorted.map(({ key, value }) => ({ key, value: tryDecode(value) ?? value }))),
    );
  }
  if (sorted.some((pair) => pair.rawKey !== pair.key || (pair.rawValue ?? '') !== pair.value)) {
    add(
      'double-encoded',
      'The sign was made over the raw values, still percent-encoded, encoded once more (a "%2C" became "%252C"): whoever signed skipped decoding. Decode each key and value (form semantics) before encoding them with PHP\'s urlencode.',
      () => {
        const raw = byKey(signed.map(({ rawKey, rawValue }) => ({ key: rawKey, value: rawValue ?? '' })));
        return [
          join(raw.map(({ key, value }) => ({ key: phpUrlencode(key), value: phpUrlencode(value) }))),
          join(raw.map(({ key, value }) => ({ key: encodeURIComponent(key), value: encodeURIComponent(value) }))),
        ];
      },
    );
  }
  const splitFirst = wholeStringPairs(query);
  // Decoding first only matters when it splits differently: an encoded "&" or "=" inside a value.
  if (splitFirst !== undefined && !samePairs(splitFirst, sorted)) {
    const broken = signed.filter((pair) => /%(?:26|3D)/i.test(pair.rawValue ?? '')).map((pair) => pair.key);
    const where = broken.length > 0 ? ` (${broken.join(', ')})` : '';
    add(
      'whole-string-decoded',
      `The sign was made after decoding the whole query before splitting it, so an encoded "&" or "=" inside a value${where} split it. Split on "&", each pair on its first "=", then decode each key and value.`,
      () => [...bothEncodings(splitFirst), join(splitFirst)],
    );
  }
  const ignored = pairs.filter((pair) => pair.key !== 'sign' && !isSignedKey(pair.key));
  if (ignored.length > 0) {
    const all = pairs.filter((pair) => pair.key !== 'sign');
    const names = [...new Set(ignored.map((pair) => pair.key))].join(', ');
    add(
      'extra-params-signed',
      `The sign covers every parameter except sign, including ones that are not vk_* (${names}). VK signs only the vk_* parameters: leave the others out of the string to sign.`,
      () => [...bothEncodings(byKey(all)), canonicalStrings(all).php],
    );
  }
  if (sorted.some((pair, i) => pair !== signed[i])) {
    add(
      'not-sorted',
      'The sign was made over the vk_* pairs in the order they arrived, not sorted by key. Sort them by key (code-unit order) first.',
      () => bothEncodings(signed),
    );
  }
  add(
    'not-reencoded',
    'The sign was made over the decoded values joined as they are, without encoding them again (a "," left raw where VK writes "%2C"). Encode each key and value with PHP\'s urlencode before joining.',
    () => [join(sorted)],
  );
  add(
    'not-reencoded',
    "The sign was made over the pairs exactly as they arrived, without decoding and re-encoding them; VK signs each key and value encoded with PHP's urlencode. Decode each, then encode it.",
    () => [join(byKey(signed.map(({ rawKey, rawValue }) => ({ key: rawKey, value: rawValue ?? '' }))))],
  );
  return found;
}

/** The sorted `vk_*` pairs of `query` when it is decoded as a whole before being split. */
function wholeStringPairs(query: string): Pair[] | undefined {
  const decoded = tryDecode(query);
  if (decoded === undefined) return undefined;
  const split: Pair[] = [];
  for (const segment of decoded.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    split.push(eq === -1 ? { key: segment, value: '' } : { key: segment.slice(0, eq), value: segment.slice(eq + 1) });
  }
  return byKey(split.filter((pair) => isSignedKey(pair.key)));
}

function samePairs(a: readonly Pair[], b: readonly Pair[]): boolean {
  return a.length === b.length && a.every((pair, i) => pair.key === b[i]?.key && pair.value === b[i]?.value);
}

/**
 * The received sign put back in VK's shape: padding dropped, standard base64
 * turned into base64url, and a `+` that was decoded as a space restored.
 */
export function normaliseSign(sign: string): string {
  return sign.replace(/=+$/, '').replace(/[+ ]/g, '-').replace(/\//g, '_');
}
