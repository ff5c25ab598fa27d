import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timingSafeEqual } from '../src/crypto/constant-time.js';

// Timing itself is not asserted (tests never measure wall-clock time); what is
// checked is that the one comparison every sign goes through gives the same
// answers as `===`, including for strings that differ only in their last
// character or in characters beyond one byte.
describe('timingSafeEqual', () => {
  it('agrees with === on any two strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(timingSafeEqual(a, b)).toBe(a === b);
      }),
    );
  });

  it('tells apart signs that differ in one character, wherever it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), fc.nat(), (sign, at) => {
        const index = at % sign.length;
        const changed = `${sign.slice(0, index)}${String.fromCharCode(sign.charCodeAt(index) ^ 1)}${sign.slice(index + 1)}`;
        expect(timingSafeEqual(sign, changed)).toBe(false);
        expect(timingSafeEqual(sign, sign.slice())).toBe(true);
      }),
    );
  });
});
