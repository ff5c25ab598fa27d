import { fail } from '../errors.js';
import { type KeyRefusals, type Pair, PairCollector, printable } from '../launch-params/pairs.js';
import { decodeFormComponent } from '../launch-params/query.js';

/**
 * A key of MAX init data: ASCII letters, digits, `_`, `.` and `-`, which need
 * no encoding. MAX's keys are all so (auth_date, chat, hash, ip, query_id,
 * start_param, user); a key that is not, or that is encoded, is refused, so a
 * key reads the same however its value is decoded and sorts the same way in
 * every language.
 */
export const KEY = /^[A-Za-z0-9_.-]{1,64}$/;

const INIT_DATA_REFUSALS: KeyRefusals = {
  repeated: (key) =>
    fail(
      'DUPLICATE_PARAM',
      `The key "${printable(key)}" appears more than once in the MAX init data; MAX never repeats a key, so these were tampered with.`,
    ),
  forbidden: (key) => fail('MALFORMED', `The key "${key}" is not allowed in MAX init data.`),
};

const MALFORMED_ESCAPE =
  'The MAX init data contain a malformed "%" escape or bytes that are not UTF-8; send window.WebApp.initData exactly as MAX gave it.';

/**
 * Splits init data on `&`, each pair on its first `=`, refusing a repeated
 * key, a key that is not plain ASCII ({@link KEY}) or could reach an object
 * prototype, and a pair with no `=`. Values stay as sent: how to decode them
 * is {@link decodePairs}'s business. Empty segments (`&&`) are skipped.
 */
export function splitInitData(initData: string): Pair[] {
  const collector = new PairCollector(INIT_DATA_REFUSALS);
  let start = 0;
  while (start <= initData.length) {
    let end = initData.indexOf('&', start);
    if (end === -1) end = initData.length;
    if (end > start) {
      const eq = initData.indexOf('=', start);
      if (eq === -1 || eq > end) {
        fail('MALFORMED', 'The MAX init data hold a pair with no "="; MAX writes every pair as key=value.');
      }
      const key = initData.slice(start, eq);
      if (!KEY.test(key)) {
        fail('MALFORMED', `The MAX init data hold the key "${printable(key)}", which is not a key MAX writes.`);
      }
      collector.add(key, initData.slice(eq + 1, end));
    }
    start = end + 1;
  }
  return collector.pairs;
}

/** The `hash` of the pairs as sent: `SIGN_MISSING` when there is none. */
export function hashIn(pairs: readonly Pair[]): string {
  const hash = pairs.find((pair) => pair.key === 'hash')?.value;
  if (hash === undefined || hash === '') {
    return fail('SIGN_MISSING', 'The MAX init data carry no hash; send window.WebApp.initData whole.');
  }
  return hash;
}

/**
 * How a `+` in a value reads. MAX's own example decodes values with
 * `decodeURIComponent`, where `+` stays `+` (`'literal'`); form decoders
 * (`URLSearchParams`, Python's `parse_qsl`) read it as a space (`'space'`).
 * The two agree on every value without a raw `+`, which is every value
 * written by `encodeURIComponent`.
 */
export type PlusReading = 'literal' | 'space';

/** The readings of `+` worth trying for these pairs: both when a value holds a raw `+`, else one. */
export function plusReadings(pairs: readonly Pair[]): readonly PlusReading[] {
  return pairs.some((pair) => pair.value.indexOf('+') !== -1) ? ['literal', 'space'] : ['literal'];
}

/** The pairs with their values percent-decoded as UTF-8, `+` read as `reading` says. */
export function decodePairs(pairs: readonly Pair[], reading: PlusReading): Pair[] {
  return pairs.map(({ key, value }) => ({
    key,
    value: decodeFormComponent(reading === 'literal' ? value.replace(/\+/g, '%2B') : value, MALFORMED_ESCAPE),
  }));
}

/** A line feed, then what reads as `key=`: the start of a pair inside a data-check string. */
const PAIR_START = /\n[A-Za-z0-9_.-]+=/;

/**
 * Whether a decoded value, written into the data-check string, could be read
 * as the end of its own pair and the start of another. The data-check string
 * joins pairs with line feeds, so `start_param=a` and `user={…}` give the
 * same string as the one pair `start_param=a\nuser={…}`: data MAX signed
 * with such a value could be re-sent split in two, under the same hash.
 * Such a value is refused (a real `start_param` holds no line feed).
 */
export function opensAnotherPair(value: string): boolean {
  return value.indexOf('\n') !== -1 && PAIR_START.test(value);
}

/** Refuses pairs whose data-check string could be read as other pairs (see {@link opensAnotherPair}). */
export function refuseAmbiguousValues(pairs: readonly Pair[]): void {
  for (const { key, value } of pairs) {
    if (opensAnotherPair(value)) {
      fail(
        'MALFORMED',
        `The value of "${printable(key)}" holds a line that reads as another key=value pair, so the data-check string would not say which pairs were signed.`,
      );
    }
  }
}
