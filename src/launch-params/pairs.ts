import { fail } from '../errors.js';
import { FORBIDDEN_KEYS } from './limits.js';

/** One decoded `key=value` pair, in the order it arrived. */
export interface Pair {
  readonly key: string;
  readonly value: string;
}

/** How a collector words its refusals, for the data it reads (launch params, a payment notification). */
export interface KeyRefusals {
  /** A key seen before: `DUPLICATE_PARAM`. */
  repeated(key: string): never;
  /** A key that could reach an object prototype: `MALFORMED`. */
  forbidden(key: string): never;
}

const LAUNCH_PARAMS_REFUSALS: KeyRefusals = {
  repeated: (key) =>
    fail(
      'DUPLICATE_PARAM',
      `The parameter "${printable(key)}" appears more than once; launch params never repeat a key, so this one was tampered with.`,
    ),
  forbidden: (key) => fail('MALFORMED', `The parameter name "${key}" is not allowed in launch params.`),
};

/**
 * Collects pairs while refusing what parsers disagree on (a repeated key: first
 * or last wins depending on the parser, so an attacker can append a second
 * `vk_user_id` to a genuine string) and keys that reach object prototypes.
 */
export class PairCollector {
  readonly pairs: Pair[] = [];
  // Real launches carry about a dozen keys: a linear scan over them is cheaper
  // than hashing every key into a Set. Long inputs switch to a Set, so a
  // hostile 8 KiB query stays linear.
  private seen: Set<string> | undefined;

  constructor(private readonly refusals: KeyRefusals = LAUNCH_PARAMS_REFUSALS) {}

  add(key: string, value: string): void {
    if (this.has(key)) this.refusals.repeated(key);
    if (FORBIDDEN_KEYS.has(key)) this.refusals.forbidden(key);
    this.seen?.add(key);
    this.pairs.push({ key, value });
  }

  /**
   * Adds a pair whose key the caller knows is new: a `vk_*` key greater than
   * every earlier `vk_*` key (it cannot equal any other key, nor be forbidden).
   */
  addNew(key: string, value: string): void {
    this.seen?.add(key);
    this.pairs.push({ key, value });
  }

  private has(key: string): boolean {
    if (this.seen !== undefined) return this.seen.has(key);
    const { pairs } = this;
    for (let i = 0; i < pairs.length; i++) if ((pairs[i] as Pair).key === key) return true;
    if (pairs.length >= LINEAR_SCAN_LIMIT) this.seen = new Set(pairs.map((pair) => pair.key));
    return false;
  }
}

const LINEAR_SCAN_LIMIT = 24;

/** A key as it may be shown in a message: bounded and without control characters. */
export function printable(key: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const clean = key.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
