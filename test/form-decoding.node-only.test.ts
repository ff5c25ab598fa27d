import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VkAuthError } from '../src/errors.js';
import { decodeFormComponent } from '../src/launch-params/query.js';

/** The definition: `+` is a space, then decodeURIComponent; anything it refuses is MALFORMED. */
function byDefinition(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return 'MALFORMED';
  }
}

function decoded(raw: string): string {
  try {
    return decodeFormComponent(raw);
  } catch (error) {
    if (VkAuthError.is(error, 'MALFORMED')) return 'MALFORMED';
    throw error;
  }
}

const escapeLike = fc
  .tuple(
    fc.constantFrom('%', '%%', '+'),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFgG%+'), maxLength: 3 }),
  )
  .map(([a, b]) => a + b);
const component = fc
  .array(
    fc.oneof(
      escapeLike,
      fc.string({ maxLength: 3 }),
      fc.constantFrom('%2C', '%D0%BF', '%E2%82', '%7f', '%80', '%C3%28'),
    ),
    {
      maxLength: 8,
    },
  )
  .map((parts) => parts.join(''));

describe('form decoding of one key or value', () => {
  it('agrees with "+ is a space, then decodeURIComponent" on any text, malformed escapes included', () => {
    fc.assert(
      fc.property(component, (raw) => {
        expect(decoded(raw)).toBe(byDefinition(raw));
      }),
      { numRuns: 20_000 },
    );
  });

  it('decodes ASCII escapes in either case without leaving a "%"', () => {
    expect(decodeFormComponent('friends%2Cphotos')).toBe('friends,photos');
    expect(decodeFormComponent('a%2cb%2B%2b+c')).toBe('a,b++ c');
    expect(decodeFormComponent('%D0%BF%D1%80%D0%B8%2C')).toBe('при,');
  });
});
