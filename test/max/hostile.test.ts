import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VK_AUTH_ERROR_CODES, VkAuthError } from '../../src/errors.js';
import { MAX_INPUT_LENGTH } from '../../src/launch-params/limits.js';
import {
  isValidMaxInitData,
  type MaxVerifyOptions,
  parseMaxInitData,
  signMaxInitData,
  verifyMaxInitData,
} from '../../src/max.js';
import { MissingOptionError } from '../../src/missing-option.js';
import { signLaunchParams } from '../../src/sign.js';
import { verifyLaunchParams } from '../../src/verify.js';
import { BOT_TOKEN, launchUrl, referenceHash, referenceInitData } from './helpers.js';

const NOW_SECONDS = 1_771_409_719;
const options = { botToken: BOT_TOKEN, now: () => NOW_SECONDS * 1000 };
const CODES = new Set<string>(VK_AUTH_ERROR_CODES);

/** What verification and parsing do with `input`: each must resolve or refuse with a VkAuthError, nothing else. */
async function outcome(input: unknown): Promise<string> {
  const verified = await verifyMaxInitData(input as string, options).then(
    () => 'accepted',
    (error: unknown) => {
      if (VkAuthError.is(error) && CODES.has(error.code)) return error.code;
      throw error;
    },
  );
  try {
    parseMaxInitData(input as string);
  } catch (error) {
    if (!(VkAuthError.is(error) && CODES.has(error.code))) throw error;
  }
  return verified;
}

/** Signed init data with `decoded` pairs (auth_date added), hashed by the reference signer. */
function signed(decoded: [string, string][]): string {
  return referenceInitData([['auth_date', String(NOW_SECONDS)], ...decoded]);
}

describe('hostile input', () => {
  it('arbitrary strings and values end in a VkAuthError, never another exception', async () => {
    const fragments = fc.constantFrom(
      'WebAppData=',
      'tgWebAppData=',
      '#',
      '&',
      '=',
      '%',
      '%3D',
      '%26',
      '%25',
      '%ZZ',
      '%E0%A4%A',
      '%C0%AF',
      '%ED%A0%80',
      '+',
      'hash=',
      'auth_date=',
      'user=',
      '%7B%22id%22%3A',
      '__proto__=',
      'constructor=',
      'tma ',
      'Bearer ',
      'max\t',
      '\ud800',
      '\n',
    );
    const hostile = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.oneof(fragments, fc.string({ maxLength: 4 })), { maxLength: 30 }).map((parts) => parts.join('')),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (input) => {
        expect(await outcome(input)).not.toBe('accepted');
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what is not there or not text', async () => {
    for (const input of [
      null,
      undefined,
      '',
      '   ',
      'tma',
      'Bearer  ',
      '#WebAppData=',
      'WebAppData=&WebAppPlatform=ios',
    ]) {
      expect(await outcome(input), JSON.stringify(input)).toBe('MISSING_CREDENTIALS');
    }
    for (const input of [42, {}, [], new URLSearchParams('a=b'), Symbol('x'), () => 'auth_date=1']) {
      expect(await outcome(input)).toBe('MALFORMED');
    }
  });

  it(`refuses over ${MAX_INPUT_LENGTH} characters before reading them, even correctly signed`, async () => {
    const big = signed([['start_param', 'x'.repeat(MAX_INPUT_LENGTH)]]);
    expect(await outcome(big)).toBe('TOO_LARGE');
    expect(await outcome(`tma ${'a'.repeat(MAX_INPUT_LENGTH)}`)).toBe('TOO_LARGE');
    const fits = signed([['start_param', 'x'.repeat(MAX_INPUT_LENGTH - 200)]]);
    expect(fits.length).toBeLessThanOrEqual(MAX_INPUT_LENGTH);
    expect(await outcome(fits)).toBe('accepted');
  });

  it('refuses prototype keys in the query, the fragment, and the JSON of user and chat', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(await outcome(signed([[key, '1']]))).toBe('MALFORMED');
      expect(await outcome(`#WebAppData=x&${key}=1`)).toBe('MALFORMED');
      const user = `{"id":1,"first_name":"A","${key}":{"admin":true}}`;
      expect(await outcome(signed([['user', user]]))).toBe('MALFORMED');
      expect(await outcome(signed([['chat', `{"id":1,"type":"DIALOG","x":{"${key}":1}}`]]))).toBe('MALFORMED');
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses deep nesting in user as MALFORMED, without recursion', async () => {
    for (const depth of [17, 1000, 2700]) {
      const user = `{"id":1,"first_name":"A","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const initData = `auth_date=${NOW_SECONDS}&user=${user}&hash=${referenceHash([
        ['auth_date', String(NOW_SECONDS)],
        ['user', user],
      ])}`;
      if (initData.length > MAX_INPUT_LENGTH) continue;
      expect(await outcome(initData)).toBe('MALFORMED');
    }
    // Brackets inside strings are not nesting.
    const quoted = signed([['user', `{"id":1,"first_name":"${'['.repeat(100)}\\"{"}`]]);
    expect((await verifyMaxInitData(quoted, options)).user?.first_name).toBe(`${'['.repeat(100)}"{`);
  });

  it('refuses repeated keys, in the init data and in the launch fragment', async () => {
    const once = signed([['query_id', 'q']]);
    expect(await outcome(`${once}&query_id=q`)).toBe('DUPLICATE_PARAM');
    expect(await outcome(`${once}&hash=${'0'.repeat(64)}`)).toBe('DUPLICATE_PARAM');
    expect(await outcome(`${launchUrl(once)}&WebAppPlatform=ios`)).toBe('DUPLICATE_PARAM');
    expect(await outcome(`${launchUrl(once)}&WebAppData=${encodeURIComponent(once)}`)).toBe('DUPLICATE_PARAM');
  });

  it('refuses bad escapes, pairs without "=", keys MAX does not write, and a hash of the wrong shape', async () => {
    const initData = signed([['query_id', 'q']]);
    const hash = initData.slice(-64);
    expect(await outcome(initData.replace('query_id=q', 'query_id=%E0%A4%A'))).toBe('MALFORMED');
    expect(await outcome(initData.replace('query_id=q', 'query_id=%ED%A0%80'))).toBe('MALFORMED'); // a lone surrogate
    expect(await outcome(`${initData}&flag`)).toBe('MALFORMED');
    expect(await outcome(initData.replace('query_id', 'query%5Fid'))).toBe('MALFORMED');
    expect(await outcome(initData.replace('query_id', 'query id'))).toBe('MALFORMED');
    expect(await outcome(`=x&${initData}`)).toBe('MALFORMED');
    expect(await outcome(initData.replace(hash, hash.toUpperCase()))).toBe('SIGN_INVALID');
    expect(await outcome(initData.replace(hash, hash.slice(1)))).toBe('SIGN_INVALID');
    expect(await outcome(initData.replace(hash, Buffer.from(hash, 'hex').toString('base64url')))).toBe('SIGN_INVALID');
    expect(await outcome(`${launchUrl(initData).replace('%3D', '%ZZ')}`)).toBe('MALFORMED');
  });

  it('refuses a Telegram launch and a URL without WebAppData, naming what it found', async () => {
    const telegram = verifyMaxInitData('https://t.example/#tgWebAppData=query_id%3D1&tgWebAppVersion=7.0', options);
    await expect(telegram).rejects.toMatchObject({ code: 'MALFORMED', message: expect.stringContaining('Telegram') });
    await expect(verifyMaxInitData('https://app.example/#/route', options)).rejects.toMatchObject({
      code: 'MALFORMED',
      message: expect.stringContaining('WebAppData'),
    });
  });

  it('refuses signed data whose user or chat are not what MAX sends, as MALFORMED', async () => {
    const users = [
      'not json',
      '[]',
      'null',
      '"x"',
      '{"first_name":"A"}',
      '{"id":"1","first_name":"A"}',
      '{"id":0,"first_name":"A"}',
      '{"id":1.5,"first_name":"A"}',
      '{"id":9007199254740993,"first_name":"A"}',
      '{"id":1}',
      '{"id":1,"first_name":null}',
      '{"id":1,"first_name":"A","username":5}',
      '{"id":1,"first_name":"A","photo_url":{}}',
    ];
    for (const user of users) expect(await outcome(signed([['user', user]])), user).toBe('MALFORMED');
    for (const chat of ['{}', '{"id":1}', '{"id":"1","type":"DIALOG"}', '{"id":1,"type":7}', '[1]']) {
      expect(await outcome(signed([['chat', chat]])), chat).toBe('MALFORMED');
    }
    for (const date of ['', '-1', '0', '1.5', '1e9', '0x10', ' 1', '17714097190000000000']) {
      const code = date === '' ? 'TS_MISSING' : 'MALFORMED';
      expect(await outcome(referenceInitData([['auth_date', date]])), date).toBe(code);
    }
    expect(await outcome(referenceInitData([['query_id', 'q']]))).toBe('TS_MISSING');
  });

  it('answers hostile input in linear time', async () => {
    const inputs = [
      `a=${'%'.repeat(MAX_INPUT_LENGTH - 2)}`,
      `${'a=1&'.repeat(MAX_INPUT_LENGTH / 4 - 20)}hash=${'0'.repeat(64)}`,
      `${'&'.repeat(MAX_INPUT_LENGTH - 80)}hash=${'0'.repeat(64)}`,
      `#${'WebAppData&'.repeat(MAX_INPUT_LENGTH / 11 - 1)}`,
      `start_param=${'\nx'.repeat(MAX_INPUT_LENGTH / 2 - 100)}&hash=${'0'.repeat(64)}`,
      `user=${'['.repeat(MAX_INPUT_LENGTH - 10)}`,
      '%3D'.repeat(MAX_INPUT_LENGTH / 3),
    ];
    const started = performance.now();
    for (let i = 0; i < 20; i++) for (const input of inputs) await outcome(input);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('MAX is not VK', () => {
  it('VK launch params are not MAX init data, nor the other way round, whatever the key', async () => {
    const vk = await signLaunchParams({ vk_user_id: 494075, vk_app_id: 6736218, vk_ts: NOW_SECONDS }, BOT_TOKEN);
    await expect(verifyMaxInitData(vk, options)).rejects.toMatchObject({ code: 'SIGN_MISSING' });
    const max = await signMaxInitData({ user: { id: 494075, first_name: 'A' }, auth_date: NOW_SECONDS }, BOT_TOKEN);
    await expect(verifyLaunchParams(max, { secret: BOT_TOKEN, maxAge: 0 })).rejects.toBeInstanceOf(VkAuthError);
  });
});

describe('options', () => {
  it('a missing bot token is a MissingOptionError naming the option and MAX_BOT_TOKEN', async () => {
    for (const botToken of [undefined, null, '', Number.NaN]) {
      const error = await verifyMaxInitData('a=1', { botToken } as unknown as MaxVerifyOptions).catch((e) => e);
      expect(error).toBeInstanceOf(MissingOptionError);
      expect(error.option).toBe('botToken');
      expect(error.message).toContain('MAX_BOT_TOKEN');
    }
    await expect(signMaxInitData({}, undefined as unknown as string)).rejects.toBeInstanceOf(MissingOptionError);
  });

  it('a bad option is a TypeError naming it, from isValidMaxInitData too', async () => {
    const bad: [unknown, string][] = [
      [undefined, 'options'],
      ['token', 'options'],
      [{ botToken: 42 }, 'botToken'],
      [{ botToken: ['a'] }, 'botToken'],
      [{ botToken: 'ok', maxAge: -1 }, 'maxAge'],
      [{ botToken: 'ok', maxAge: '60' }, 'maxAge'],
      [{ botToken: 'ok', clockSkew: Number.POSITIVE_INFINITY }, 'clockSkew'],
      [{ botToken: 'ok', now: 5 }, 'now'],
    ];
    for (const [value, name] of bad) {
      const error = await verifyMaxInitData('a=1', value as MaxVerifyOptions).catch((e) => e);
      expect(error, name).toBeInstanceOf(TypeError);
      expect(error.message).toContain(name);
      await expect(isValidMaxInitData('a=1', value as MaxVerifyOptions)).rejects.toBeInstanceOf(TypeError);
    }
  });

  it('isValidMaxInitData resolves true or false for the input itself', async () => {
    const initData = signed([['query_id', 'q']]);
    expect(await isValidMaxInitData(initData, options)).toBe(true);
    expect(await isValidMaxInitData(initData.replace('query_id=q', 'query_id=r'), options)).toBe(false);
    expect(await isValidMaxInitData(null, options)).toBe(false);
  });

  it('no message ever shows the bot token', async () => {
    const token = 'SECRET-9f8e7d6c5b4a:token';
    const inputs = [
      undefined,
      'x',
      referenceInitData([['auth_date', '1']], token),
      referenceInitData([['auth_date', String(NOW_SECONDS)]], 'wrong'),
      `${referenceInitData([['auth_date', String(NOW_SECONDS)]], token)}&user=${encodeURIComponent(token)}`,
    ];
    const messages: string[] = [];
    for (const input of inputs) {
      await verifyMaxInitData(input, { botToken: token, now: options.now }).catch((e: Error) =>
        messages.push(e.message),
      );
      await verifyMaxInitData(input, { botToken: token, maxAge: -1 } as MaxVerifyOptions).catch((e: Error) =>
        messages.push(e.message),
      );
    }
    await signMaxInitData({ __proto__x: 1 } as never, token).catch((e: Error) => messages.push(e.message));
    expect(messages.length).toBeGreaterThanOrEqual(inputs.length * 2);
    for (const message of messages) expect(message).not.toContain('SECRET');
  });
});

describe('signMaxInitData refuses what verification would', () => {
  it('throws a TypeError for keys and values it cannot write', async () => {
    const bad: Record<string, unknown>[] = [
      { hash: 'x' },
      { 'bad key': 'x' },
      { ключ: 'x' },
      { constructor: 'x' },
      { start_param: '\ud800' },
      { start_param: { a: 1 } },
      { start_param: true },
      { user: { id: 1n } },
      { auth_date: 'now' },
      { auth_date: 0 },
      { auth_date: new Date(Number.NaN) },
    ];
    for (const data of bad)
      await expect(signMaxInitData(data, BOT_TOKEN), JSON.stringify(Object.keys(data))).rejects.toThrow(TypeError);
    await expect(signMaxInitData(null as never, BOT_TOKEN)).rejects.toThrow(TypeError);
  });

  it('writes auth_date as now when left out', async () => {
    const before = Math.floor(Date.now() / 1000);
    const data = await verifyMaxInitData(await signMaxInitData({}, BOT_TOKEN), { botToken: BOT_TOKEN });
    expect(data.auth_date.getTime() / 1000).toBeGreaterThanOrEqual(before);
  });
});
