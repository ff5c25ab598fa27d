import type { Pair } from './pairs.js';
import type { LaunchParams } from './types.js';

// Typed values lose their original spelling (`01` becomes 1), so each
// LaunchParams object made here remembers the exact pairs it came from; that
// lets it be verified again without the caller keeping the raw string.
const RAW_PAIRS: unique symbol = Symbol.for('vk-miniapp-auth.rawPairs') as never;

/** Attaches the original pairs to a parsed object, invisibly to JSON and spreads. */
export function attachRawPairs(params: LaunchParams, pairs: readonly Pair[]): void {
  Object.defineProperty(params, RAW_PAIRS, { value: pairs, enumerable: false });
}

/** The pairs a LaunchParams object was parsed from, when this library made it. */
export function rawPairsOf(value: object): readonly Pair[] | undefined {
  const pairs = (value as { [RAW_PAIRS]?: unknown })[RAW_PAIRS];
  return Array.isArray(pairs) ? (pairs as readonly Pair[]) : undefined;
}
