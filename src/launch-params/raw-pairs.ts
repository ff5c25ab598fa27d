import type { Pair } from './pairs.js';
import type { LaunchParams } from './types.js';

// Typed values lose their original spelling (`01` becomes 1), so each
// LaunchParams object made here remembers the exact pairs it came from; that
// lets it be verified again without the caller keeping the raw string.
//
// The pairs live in a private class field added to the plain object: it is
// invisible to JSON, spreads, `Object.keys` and `util.inspect`, the object's
// prototype stays `Object.prototype`, and adding it costs a property write,
// where `Object.defineProperty` would cost a tenth of a whole verification.

/** Returns the object it is given, so a subclass's fields are added to that object. */
class ReturnsTarget {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the point of this class (see above)
    return target;
  }
}

class RawPairsField extends ReturnsTarget {
  readonly #pairs: readonly Pair[];

  constructor(target: LaunchParams, pairs: readonly Pair[]) {
    super(target);
    this.#pairs = pairs;
  }

  static read(value: object): readonly Pair[] | undefined {
    return #pairs in value ? value.#pairs : undefined;
  }
}

/** Attaches the original pairs to a freshly parsed object, invisibly to JSON and spreads. */
export function attachRawPairs(params: LaunchParams, pairs: readonly Pair[]): void {
  new RawPairsField(params, pairs);
}

/** The pairs a LaunchParams object was parsed from, when this copy of the library made it. */
export function rawPairsOf(value: object): readonly Pair[] | undefined {
  return RawPairsField.read(value);
}
