import { fail } from '../errors.js';
import { FORBIDDEN_KEYS } from './limits.js';

/** One decoded `key=value` pair, in the order it arrived. */
export interface Pair {
  readonly key: string;
  readonly value: string;
}

/**
 * Collects pairs while refusing what parsers disagree on (a repeated key: first
 * or last wins depending on the parser, so an attacker can append a second
 * `vk_user_id` to a genuine string) and keys that reach object prototypes.
 */
export class PairCollector {
  readonly pairs: Pair[] = [];
  private readonly seen = new Set<string>();

  add(key: string, value: string): void {
    if (this.seen.has(key)) {
      fail(
        'DUPLICATE_PARAM',
        `The parameter "${printable(key)}" appears more than once; launch params never repeat a key, so this one was tampered with.`,
      );
    }
    if (FORBIDDEN_KEYS.has(key)) {
      fail('MALFORMED', `The parameter name "${key}" is not allowed in launch params.`);
    }
    this.seen.add(key);
    this.pairs.push({ key, value });
  }
}

/** A key as it may be shown in a message: bounded and without control characters. */
export function printable(key: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const clean = key.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
