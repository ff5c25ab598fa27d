import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInteger, parseNonNegativeInteger, parsePositiveId } from '../src/launch-params/numbers.js';

// The readers scan digits by hand for speed; these regular expressions are the
// definitions they must agree with on every input.
function byDefinition(pattern: RegExp, text: string): number | undefined {
  if (!pattern.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

const numberish = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789-+ .e'), maxLength: 20 }),
  fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }).map(String),
  fc.constantFrom('9007199254740991', '9007199254740992', '9007199254740993', '-9007199254740991', '-0', '0', '00'),
  fc.string(),
);

describe('decimal readers', () => {
  it('agree with their regular-expression definitions', () => {
    fc.assert(
      fc.property(numberish, (text) => {
        expect(parsePositiveId(text)).toBe(byDefinition(/^[1-9][0-9]{0,15}$/, text));
        expect(parseInteger(text)).toBe(byDefinition(/^-?[0-9]{1,16}$/, text));
        expect(parseNonNegativeInteger(text)).toBe(byDefinition(/^[0-9]{1,16}$/, text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuse what is not plain digits', () => {
    for (const text of ['', '-', '+1', ' 1', '1 ', '1e3', '0x10', '１２', '12345678901234567']) {
      expect(parseInteger(text)).toBeUndefined();
    }
    expect(parsePositiveId('0')).toBeUndefined();
    expect(parsePositiveId('01')).toBeUndefined();
    expect(parseNonNegativeInteger('007')).toBe(7);
  });
});
