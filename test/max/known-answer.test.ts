import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backend } from '#crypto';
import { nodeBackend } from '../../src/crypto/node.js';
import { webBackend } from '../../src/crypto/web.js';
import { VkAuthError } from '../../src/errors.js';
import { dataCheckString } from '../../src/max/signature.js';
import { parseMaxInitData, signMaxInitData, verifyMaxInitData } from '../../src/max.js';
import { BOT_TOKEN, DOC_AUTH_DATE, nowAt, referenceHash, referenceInitData } from './helpers.js';

const options = { botToken: BOT_TOKEN, now: nowAt(DOC_AUTH_DATE + 1) };

describe("MAX's documented example (dev.max.ru/docs/webapps/validation)", () => {
  const user =
    '{"id":67890,"first_name":"Max","last_name":"User","username":null,"language_code":"ru","photo_url":null}';
  const decoded = [
    ['chat', '{"id":12345,"type":"DIALOG"}'],
    ['ip', '192.168.0.1'],
    ['user', user],
    ['query_id', '4c0ab423-342b-4e45-aea4-2747dbc500cd'],
    ['auth_date', String(DOC_AUTH_DATE)],
  ] as const;
  // The page's prepared data, character for character.
  const documentedCheckString = `auth_date=1771409719\nchat={"id":12345,"type":"DIALOG"}\nip=192.168.0.1\nquery_id=4c0ab423-342b-4e45-aea4-2747dbc500cd\nuser=${user}`;
  const hash = referenceHash(decoded);
  // The page's launch URL, verbatim, with the hash it leaves as <calculated_hash> filled in.
  const documentedUrl = `https://example.com#WebAppData=chat%3D%257B%2522id%2522%253A12345%252C%2522type%2522%253A%2522DIALOG%2522%257D%26ip%3D192.168.0.1%26user%3D%257B%2522id%2522%253A67890%252C%2522first_name%2522%253A%2522Max%2522%252C%2522last_name%2522%253A%2522User%2522%252C%2522username%2522%253Anull%252C%2522language_code%2522%253A%2522ru%2522%252C%2522photo_url%2522%253Anull%257D%26query_id%3D4c0ab423-342b-4e45-aea4-2747dbc500cd%26auth_date%3D1771409719%26hash%3D${hash}&WebAppPlatform=web&WebAppVersion=26.2.8`;

  it('builds the data-check string the page shows', () => {
    expect(dataCheckString(decoded.map(([key, value]) => ({ key, value })))).toBe(documentedCheckString);
  });

  it('verifies the documented launch URL and reads it as the page describes', async () => {
    const data = await verifyMaxInitData(documentedUrl, options);
    expect(data).toEqual({
      auth_date: new Date(DOC_AUTH_DATE * 1000),
      chat: { id: 12345, type: 'DIALOG' },
      ip: '192.168.0.1',
      query_id: '4c0ab423-342b-4e45-aea4-2747dbc500cd',
      user: { id: 67890, first_name: 'Max', last_name: 'User', username: null, language_code: 'ru', photo_url: null },
      hash,
    });
    expect(parseMaxInitData(documentedUrl)).toEqual(data);
  });

  it("verifies window.WebApp.initData, the URL's WebAppData decoded once", async () => {
    const initData = new URLSearchParams(new URL(documentedUrl).hash.slice(1)).get('WebAppData') as string;
    expect(initData.startsWith('chat=%7B%22id%22%3A12345')).toBe(true);
    expect((await verifyMaxInitData(initData, options)).hash).toBe(hash);
  });

  it('refuses it under another bot token, and once an hour has passed', async () => {
    await expect(verifyMaxInitData(documentedUrl, { ...options, botToken: 'another:token' })).rejects.toMatchObject({
      code: 'SIGN_INVALID',
    });
    await expect(
      verifyMaxInitData(documentedUrl, { ...options, now: nowAt(DOC_AUTH_DATE + 3600 + 31) }),
    ).rejects.toMatchObject({ code: 'EXPIRED' });
  });
});

describe('a Unicode vector, hashed by Python 3 when it was written', () => {
  // python3: hmac.new(hmac.new(b"WebAppData", token, sha256).digest(), check_string, sha256).hexdigest()
  const HASH = '663f5fde7c7668784b2d9d48237203d61dcbb83ed20731cf94b9f62aeb76b9d0';
  const user = {
    id: 494075,
    first_name: 'Алёна 🐈',
    last_name: 'O\'Brien & Sons = 100% + "Ко"',
    username: 'alyona_max',
    language_code: 'ru',
    photo_url: 'https://i.example/a b.png?x=1&y=2',
  };
  const decoded = [
    ['auth_date', String(DOC_AUTH_DATE)],
    ['query_id', 'q 1+2=3&4'],
    ['start_param', 'промо_2026'],
    ['user', JSON.stringify(user)],
  ] as const;

  it('has the hash node:crypto computes by hand', () => {
    expect(referenceHash(decoded)).toBe(HASH);
  });

  it('verifies, with every character back as it was signed', async () => {
    const data = await verifyMaxInitData(referenceInitData(decoded), options);
    expect(data).toEqual({
      auth_date: new Date(DOC_AUTH_DATE * 1000),
      query_id: 'q 1+2=3&4',
      start_param: 'промо_2026',
      user,
      hash: HASH,
    });
  });

  it('is what signMaxInitData writes for the same data', async () => {
    const signed = await signMaxInitData(
      { user, query_id: 'q 1+2=3&4', start_param: 'промо_2026', auth_date: DOC_AUTH_DATE },
      BOT_TOKEN,
    );
    expect(signed).toBe(referenceInitData(decoded));
    expect(signed.endsWith(`&hash=${HASH}`)).toBe(true);
  });
});

describe('a "+" in a value', () => {
  it('reads as MAX\'s example reads it ("+" stays "+") when the hash covers that', async () => {
    const decoded = [
      ['auth_date', String(DOC_AUTH_DATE)],
      ['start_param', 'a+b'],
    ] as const;
    const initData = `auth_date=${DOC_AUTH_DATE}&start_param=a+b&hash=${referenceHash(decoded)}`;
    expect((await verifyMaxInitData(initData, options)).start_param).toBe('a+b');
    expect(parseMaxInitData(initData).start_param).toBe('a+b');
  });

  it('reads as a space, as form decoders read it, when the hash covers that instead', async () => {
    const decoded = [
      ['auth_date', String(DOC_AUTH_DATE)],
      ['start_param', 'a b'],
    ] as const;
    const initData = `auth_date=${DOC_AUTH_DATE}&start_param=a+b&hash=${referenceHash(decoded)}`;
    expect((await verifyMaxInitData(initData, options)).start_param).toBe('a b');
  });

  it('matches neither reading under another token', async () => {
    const decoded = [
      ['auth_date', String(DOC_AUTH_DATE)],
      ['start_param', 'a b'],
    ] as const;
    const initData = `auth_date=${DOC_AUTH_DATE}&start_param=a+b&hash=${referenceHash(decoded, 'other')}`;
    const error = await verifyMaxInitData(initData, options).catch((caught: unknown) => caught);
    expect(VkAuthError.is(error, 'SIGN_INVALID')).toBe(true);
  });
});

describe('the crypto back ends, HMAC-SHA256 with a key of bytes', () => {
  it('this project runs vk-miniapp-auth/max on the back end it says it does', () => {
    expect(backend.name).toBe(process.env.EXPECTED_CRYPTO_BACKEND);
  });

  it('give the bytes createHmac gives, for string and byte keys and messages', async () => {
    const cases: [Uint8Array | string, Uint8Array | string][] = [
      ['WebAppData', BOT_TOKEN],
      [createHmac('sha256', 'WebAppData').update(BOT_TOKEN).digest(), 'auth_date=1\nuser={}'],
      ['ключ🔑', 'Алёна'],
      [new Uint8Array(randomBytes(100)), new Uint8Array(randomBytes(1000))],
    ];
    for (let i = 0; i < 50; i++)
      cases.push([new Uint8Array(randomBytes(1 + i)), randomBytes(i * 13).toString('latin1')]);
    for (const [key, message] of cases) {
      const expected = new Uint8Array(createHmac('sha256', key).update(message).digest());
      expect(nodeBackend.hmacSha256(key, message)).toEqual(expected);
      expect(await webBackend.hmacSha256(key, message)).toEqual(expected);
      // Twice: the Web back end keeps the imported key of a byte array.
      expect(await webBackend.hmacSha256(key, message)).toEqual(expected);
    }
  });
});
