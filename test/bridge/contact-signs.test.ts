import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ContactSignOptions,
  VK_AUTH_ERROR_CODES,
  VkAuthError,
  type VkAuthErrorCode,
  verifyEmailSign,
  verifyPhoneNumberSign,
} from '../../src/index.js';
import { rejection } from '../helpers.js';
import { bridgeVectors, contactSign } from './signers.js';

const SECRET = 'contact-secret-Защищённый-ключ';
const APP_ID = 6736218;
const USER_ID = 494075;
const base = { secret: SECRET, appId: APP_ID, userId: USER_ID };

type Field = 'phone_number' | 'email';

/** Verifies `{ [field]: value, sign }` with the function for that field. */
function verify(field: Field, data: unknown, options: ContactSignOptions): Promise<string> {
  return field === 'email' ? verifyEmailSign(data as never, options) : verifyPhoneNumberSign(data as never, options);
}

function signedContact(field: Field, value: string, options = base) {
  return { [field]: value, sign: contactSign(field, value, options) };
}

async function expectCode(promise: Promise<unknown>, code: VkAuthErrorCode) {
  const error = await rejection(promise);
  expect(VkAuthError.is(error), String(error)).toBe(true);
  expect((error as VkAuthError).code).toBe(code);
  expect((error as VkAuthError).message).not.toContain(SECRET);
}

const FIELDS: readonly [Field, string][] = [
  ['phone_number', '79991234567'],
  ['email', 'ivan@example.com'],
];

describe('contact signs: the known-answer vectors', () => {
  it.each(bridgeVectors.contactSigns.map((v) => [v.id, v] as const))('%s', async (_id, vector) => {
    const options = { secret: vector.secret, appId: vector.appId, userId: vector.userId };
    const data = { [vector.field]: vector.value, sign: vector.sign };
    await expect(verify(vector.field, data, options)).resolves.toBe(vector.value);
    // The same sign does not pass as the other field, nor for another user.
    const other: Field = vector.field === 'email' ? 'phone_number' : 'email';
    await expectCode(verify(other, { [other]: vector.value, sign: vector.sign }, options), 'SIGN_INVALID');
    await expectCode(verify(vector.field, data, { ...options, userId: vector.userId + 1 }), 'SIGN_INVALID');
    expect(contactSign(vector.field, vector.value, options)).toBe(vector.sign);
  });
});

describe.each(FIELDS)('verify %s sign', (field, value) => {
  it('resolves to the value VK signed for this user of this app', async () => {
    await expect(verify(field, signedContact(field, value), base)).resolves.toBe(value);
    await expect(
      verify(field, signedContact(field, value), { ...base, appId: String(APP_ID), userId: String(USER_ID) }),
    ).resolves.toBe(value);
  });

  it('refuses a changed value, another user, another app, another secret: SIGN_INVALID', async () => {
    const data = signedContact(field, value);
    await expectCode(verify(field, { ...data, [field]: `${value}0` }, base), 'SIGN_INVALID');
    await expectCode(verify(field, data, { ...base, userId: USER_ID + 1 }), 'SIGN_INVALID');
    await expectCode(verify(field, data, { ...base, appId: APP_ID + 1 }), 'SIGN_INVALID');
    await expectCode(verify(field, data, { ...base, secret: 'another' }), 'SIGN_INVALID');
  });

  it('tries every secret of a list, and picks one by appId from a map', async () => {
    const data = signedContact(field, value);
    await expect(verify(field, data, { ...base, secret: ['new', SECRET] })).resolves.toBe(value);
    await expect(verify(field, data, { ...base, secret: { [APP_ID]: [SECRET] } })).resolves.toBe(value);
    await expectCode(verify(field, data, { ...base, secret: { 7: SECRET } }), 'UNKNOWN_APP');
  });

  it('refuses what is not the bridge result with MALFORMED, SIGN_MISSING, SIGN_INVALID or TOO_LARGE', async () => {
    const { sign } = signedContact(field, value);
    for (const data of [undefined, null, 'text', 42]) await expectCode(verify(field, data, base), 'MALFORMED');
    await expectCode(verify(field, { sign }, base), 'MALFORMED');
    await expectCode(verify(field, { [field]: 79991234567, sign }, base), 'MALFORMED');
    for (const absent of [undefined, null, '']) {
      await expectCode(verify(field, { [field]: value, sign: absent }, base), 'SIGN_MISSING');
    }
    for (const bad of [sign.slice(1), `${sign}=`, `${sign.slice(1)}/`, 42, [sign]]) {
      await expectCode(verify(field, { [field]: value, sign: bad }, base), 'SIGN_INVALID');
    }
    await expectCode(verify(field, { [field]: 'x'.repeat(8193), sign }, base), 'TOO_LARGE');
    // Hashing turns a lone surrogate into U+FFFD: accepting it would let two values share one sign.
    const replaced = signedContact(field, `${value}\uFFFD`);
    await expect(verify(field, replaced, base)).resolves.toBe(`${value}\uFFFD`);
    await expectCode(verify(field, { ...replaced, [field]: `${value}\uD800` }, base), 'MALFORMED');
  });

  it('rejects (never throws) with a TypeError naming a bad option', async () => {
    const data = signedContact(field, value);
    const bad: [unknown, RegExp][] = [
      [undefined, /options are required/],
      [{ appId: APP_ID, userId: USER_ID }, /options\.secret/],
      [{ ...base, secret: '' }, /options\.secret/],
      [{ ...base, appId: 0 }, /options\.appId/],
      [{ ...base, userId: 'me' }, /options\.userId/],
    ];
    for (const [options, message] of bad) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = verify(field, data, options as ContactSignOptions);
      }).not.toThrow();
      const error = await rejection(promise as Promise<unknown>);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('contact signs: properties', () => {
  const fieldArb = fc.constantFrom<Field>('phone_number', 'email');
  const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
  const caseArb = fc.record({
    field: fieldArb,
    value: fc.string({ unit: 'grapheme', maxLength: 40 }),
    appId: id,
    userId: id,
    secret: fc.string({ minLength: 1, maxLength: 20 }),
  });

  it('accepts what an independent node:crypto signer signs', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const data = { [c.field]: c.value, sign: contactSign(c.field, c.value, c) };
        await expect(verify(c.field, data, c)).resolves.toBe(c.value);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses any change to the value, user, app, field or sign', async () => {
    const change = fc.oneof(
      fc.record({ what: fc.constant('value' as const), value: fc.string({ unit: 'grapheme', maxLength: 40 }) }),
      fc.record({ what: fc.constant('userId' as const), value: id }),
      fc.record({ what: fc.constant('appId' as const), value: id }),
      fc.record({ what: fc.constant('field' as const), value: fc.constant(0) }),
      fc.record({
        what: fc.constant('sign' as const),
        value: fc.tuple(fc.nat({ max: 42 }), fc.constantFrom(...'AbZ09_-q'.split(''))),
      }),
    );
    await fc.assert(
      fc.asyncProperty(caseArb, change, async (c, { what, value }) => {
        const options = { secret: c.secret, appId: c.appId, userId: c.userId };
        let field = c.field;
        let text = c.value;
        let sign = contactSign(c.field, c.value, c);
        if (what === 'value') {
          fc.pre(value !== text);
          text = value as string;
        } else if (what === 'field') {
          // A sign for the other field, even with the same value, is not this field's sign.
          field = field === 'email' ? 'phone_number' : 'email';
        } else if (what === 'sign') {
          const [at, char] = value as [number, string];
          fc.pre(sign[at] !== char);
          sign = `${sign.slice(0, at)}${char}${sign.slice(at + 1)}`;
        } else {
          fc.pre(options[what] !== value);
          options[what] = value as number;
        }
        await expectCode(verify(field, { [field]: text, sign }, options), 'SIGN_INVALID');
      }),
      { numRuns: 300 },
    );
  });

  it('answers anything at all with a VkAuthError carrying a documented code', async () => {
    const data = fc.oneof(
      fc.anything(),
      fc.record({ phone_number: fc.anything(), email: fc.anything(), sign: fc.anything() }, { requiredKeys: [] }),
      fc.record({ phone_number: fc.string(), email: fc.string(), sign: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/) }),
    );
    await fc.assert(
      fc.asyncProperty(fieldArb, data, async (field, value) => {
        const error = await rejection(verify(field, value, base));
        expect(VkAuthError.is(error), String(error)).toBe(true);
        expect(VK_AUTH_ERROR_CODES).toContain((error as VkAuthError).code);
      }),
      { numRuns: 300 },
    );
  });
});
