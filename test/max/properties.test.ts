import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VkAuthError } from '../../src/errors.js';
import { MAX_INPUT_LENGTH } from '../../src/launch-params/limits.js';
import { opensAnotherPair } from '../../src/max/pairs.js';
import { type MaxInitDataToSign, parseMaxInitData, signMaxInitData, verifyMaxInitData } from '../../src/max.js';
import { BOT_TOKEN, launchUrl, referenceHash } from './helpers.js';

const NOW_SECONDS = 1_771_409_719;
const options = { botToken: BOT_TOKEN, now: () => NOW_SECONDS * 1000 };

// Text with what breaks naive readers: the query's own separators, escapes, "+", line feeds,
// quotes and backslashes (JSON), any Unicode ('binary' is any code point but a lone surrogate).
const special = fc.constantFrom(...'&=%+#?\n\r\t "\\/:;,', '%25', '%2B', '%0A', '+%20', 'ё', '🐈', '\u0000', '\u2028');
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: special, maxLength: 10 }),
  fc.string({ unit: fc.oneof(special, fc.constantFrom(...'aZ9_')), maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const orNull = fc.oneof(text, fc.constant(null));
const user = fc.record(
  {
    id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    first_name: text,
    last_name: orNull,
    username: orNull,
    language_code: orNull,
    photo_url: orNull,
    is_bot: fc.boolean(),
  },
  { requiredKeys: ['id', 'first_name'] },
);
const chat = fc.record({ id: fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), type: text });
const authDate = fc.integer({ min: NOW_SECONDS - 3000, max: NOW_SECONDS });

const signable = fc
  .record(
    {
      user,
      chat,
      query_id: text,
      start_param: text,
      ip: fc.ipV4(),
      chat_type: text,
      auth_date: fc.oneof(
        authDate,
        authDate.map((seconds) => seconds * 1000),
      ),
    },
    { requiredKeys: ['auth_date'] },
  )
  // A value with a line reading as another pair is refused by design (see opensAnotherPair).
  .filter((data) =>
    [data.query_id, data.start_param, data.chat_type].every((value) => value === undefined || !opensAnotherPair(value)),
  );

const token = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 });

/** What verification gives back for signed data. */
function expected(data: MaxInitDataToSign, hash: string): Record<string, unknown> {
  const { auth_date, ...rest } = data;
  const seconds = auth_date as number;
  return { ...rest, auth_date: new Date(seconds > 1e12 ? seconds : seconds * 1000), hash };
}

function hashOf(initData: string): string {
  return initData.slice(initData.lastIndexOf('&hash=') + 6);
}

describe('signMaxInitData, then verifyMaxInitData', () => {
  it('gives back every field as it was, for any Unicode data and any bot token', async () => {
    await fc.assert(
      fc.asyncProperty(signable, token, async (data, botToken) => {
        const initData = await signMaxInitData(data, botToken);
        const verified = await verifyMaxInitData(initData, { ...options, botToken });
        expect(verified).toEqual(expected(data, hashOf(initData)));
        expect(parseMaxInitData(initData)).toEqual(verified);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts every input form, each read to the same data', async () => {
    await fc.assert(
      fc.asyncProperty(signable, async (data) => {
        const initData = await signMaxInitData(data, BOT_TOKEN);
        const url = launchUrl(initData);
        const fragment = url.slice(url.indexOf('#'));
        const forms = [
          initData,
          encodeURIComponent(initData),
          url,
          fragment,
          fragment.slice(1),
          `tma ${initData}`,
          `MAX ${encodeURIComponent(initData)}`,
          `Bearer ${url}`,
          ` \ttma\t ${fragment} \n`,
          encodeURIComponent(url),
        ];
        fc.pre(forms.every((form) => form.length <= MAX_INPUT_LENGTH));
        const reference = await verifyMaxInitData(initData, options);
        for (const form of forms) expect(await verifyMaxInitData(form, options)).toEqual(reference);
      }),
      { numRuns: 150 },
    );
  });
});

/** A change to signed init data: every one must be refused. */
type Tamper = (pairs: [string, string][], hash: string) => { pairs: [string, string][]; hash: string };

const REFUSED = new Set(['SIGN_INVALID', 'SIGN_MISSING', 'MALFORMED', 'DUPLICATE_PARAM']);

function splitSigned(initData: string): { pairs: [string, string][]; hash: string } {
  const pairs = initData.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return [pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1))] as [string, string];
  });
  const hash = (pairs.pop() as [string, string])[1];
  return { pairs, hash };
}

function join(pairs: readonly [string, string][], hash: string | undefined): string {
  const query = pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  return hash === undefined ? query : `${query}&hash=${hash}`;
}

interface Mutation {
  name: string;
  apply: Tamper;
}

const tamper: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), text).map(
    ([index, replacement]): Mutation => ({
      name: 'a value changed',
      apply: (pairs, hash) => {
        const i = index % pairs.length;
        const [key, value] = pairs[i] as [string, string];
        const changed = replacement === value ? `${value}x` : replacement;
        return { pairs: pairs.map((pair, j) => (j === i ? [key, changed] : pair)), hash };
      },
    }),
  ),
  fc.tuple(fc.nat(), fc.constantFrom('_', 'x', 'A', '0', '.')).map(
    ([index, suffix]): Mutation => ({
      name: 'a key renamed',
      apply: (pairs, hash) => {
        const i = index % pairs.length;
        return { pairs: pairs.map((pair, j) => (j === i ? [`${pair[0]}${suffix}`, pair[1]] : pair)), hash };
      },
    }),
  ),
  fc.tuple(fc.nat(63), fc.constantFrom(...'0123456789abcdef')).map(
    ([at, digit]): Mutation => ({
      name: 'a hash digit changed',
      apply: (pairs, hash) => {
        const changed = hash[at] === digit ? (digit === '0' ? '1' : '0') : digit;
        return { pairs, hash: hash.slice(0, at) + changed + hash.slice(at + 1) };
      },
    }),
  ),
  fc.nat().map(
    (index): Mutation => ({
      name: 'a pair dropped',
      apply: (pairs, hash) => ({ pairs: pairs.filter((_, j) => j !== index % pairs.length), hash }),
    }),
  ),
  fc.tuple(fc.constantFrom('extra', 'receiver', 'can_send_after', 'signature'), text).map(
    ([key, value]): Mutation => ({
      name: 'a pair added',
      apply: (pairs, hash) => ({ pairs: [...pairs, [key, value]], hash }),
    }),
  ),
  fc.nat().map(
    (index): Mutation => ({
      name: 'a pair repeated',
      apply: (pairs, hash) => ({ pairs: [...pairs, pairs[index % pairs.length] as [string, string]], hash }),
    }),
  ),
  fc.constant<Mutation>({
    name: 'the user given another id',
    apply: (pairs, hash) => ({
      pairs: pairs.map(([key, value]) =>
        key === 'user' ? [key, value.replace(/"id":(\d+)/, (_, id) => `"id":${Number(id) + 1}`)] : [key, value],
      ),
      hash,
    }),
  }),
);

describe('signed init data, changed in any way', () => {
  it('are refused: SIGN_INVALID, or MALFORMED / DUPLICATE_PARAM / SIGN_MISSING, never accepted', async () => {
    await fc.assert(
      fc.asyncProperty(signable, tamper, async (data, { name, apply }) => {
        const signed = splitSigned(await signMaxInitData(data, BOT_TOKEN));
        const changed = apply(signed.pairs, signed.hash);
        const same = changed.hash === signed.hash && JSON.stringify(changed.pairs) === JSON.stringify(signed.pairs);
        fc.pre(!same); // a user without "id" to change, say
        const error = await verifyMaxInitData(join(changed.pairs, changed.hash), options).then(
          () => new Error(`accepted: ${name}`),
          (caught: unknown) => caught,
        );
        expect(VkAuthError.is(error) && REFUSED.has(error.code), `${name}: ${String(error)}`).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('with the hash recomputed over the change by another token, are SIGN_INVALID', async () => {
    await fc.assert(
      fc.asyncProperty(signable, async (data) => {
        const { pairs } = splitSigned(await signMaxInitData(data, BOT_TOKEN));
        const forged = join(pairs, referenceHash(pairs, `${BOT_TOKEN}x`));
        await expect(verifyMaxInitData(forged, options)).rejects.toMatchObject({ code: 'SIGN_INVALID' });
      }),
      { numRuns: 100 },
    );
  });

  it('without their hash, are SIGN_MISSING', async () => {
    const { pairs } = splitSigned(await signMaxInitData({ user: { id: 1, first_name: 'A' } }, BOT_TOKEN));
    await expect(verifyMaxInitData(join(pairs, undefined), options)).rejects.toMatchObject({ code: 'SIGN_MISSING' });
    await expect(verifyMaxInitData(`${join(pairs, undefined)}&hash=`, options)).rejects.toMatchObject({
      code: 'SIGN_MISSING',
    });
  });
});

describe('a value whose line reads as another pair', () => {
  it('is refused when verified, even under a valid hash, and signMaxInitData will not write it', async () => {
    // Signed, the data-check string of start_param="x\nuser={…}" is that of two pairs.
    const decoded: [string, string][] = [
      ['auth_date', String(NOW_SECONDS)],
      ['start_param', 'x\nuser={"id":1,"first_name":"Admin"}'],
    ];
    const initData = join(decoded, referenceHash(decoded));
    await expect(verifyMaxInitData(initData, options)).rejects.toMatchObject({ code: 'MALFORMED' });
    // The split reading has the very same hash, and is accepted: the two cannot both stand.
    const split: [string, string][] = [
      ['auth_date', String(NOW_SECONDS)],
      ['start_param', 'x'],
      ['user', '{"id":1,"first_name":"Admin"}'],
    ];
    expect(referenceHash(split)).toBe(referenceHash(decoded));
    await expect(signMaxInitData({ start_param: 'x\nuser=1' }, BOT_TOKEN)).rejects.toThrow(TypeError);
    // A line feed alone is fine.
    const plain = await signMaxInitData({ start_param: 'line 1\nline 2 = two', auth_date: NOW_SECONDS }, BOT_TOKEN);
    expect((await verifyMaxInitData(plain, options)).start_param).toBe('line 1\nline 2 = two');
  });
});
