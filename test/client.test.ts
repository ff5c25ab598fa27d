// The browser helper's pure functions, on both crypto backends: what it reads
// from a URL, a location or the bridge's object; that a query built from bridge
// params verifies; and which requests the fetch wrapper gives the header to.
// The same module in real Chromium: client-browser.node-only.test.ts.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type BridgeLaunchParams,
  createVkFetch,
  getAuthorization,
  getLaunchQuery,
  type VkFetch,
} from '../src/client.js';
import { parseLaunchParams, type SignableParams, signLaunchParams, verifyLaunchParams } from '../src/index.js';
import { launch, NOW_S, now, SECRET } from './helpers.js';

const verify = (input: string | undefined) => verifyLaunchParams(input, { secret: SECRET, now });

/** What the bridge resolves to for a signed query: decoded values, numbers as numbers. */
function bridgeParamsOf(query: string): BridgeLaunchParams {
  const out: Record<string, string | number> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    out[key] = /^(0|[1-9]\d{0,14})$/.test(value) && key !== 'sign' ? Number(value) : value;
  }
  return out;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('getLaunchQuery', () => {
  it('takes the query of a URL, as it is, without the fragment', async () => {
    const query = await launch();
    expect(getLaunchQuery(`https://app.example/path?${query}#/profile?x=1`)).toBe(query);
    expect(getLaunchQuery(`?${query}`)).toBe(query);
    expect(getLaunchQuery(query)).toBe(query);
    expect(getLaunchQuery(new URL(`https://app.example/?${query}&utm_source=feed`))).toBe(`${query}&utm_source=feed`);
    expect(getLaunchQuery({ search: `?${query}` })).toBe(query);
  });

  it('reads globalThis.location by default', async () => {
    const query = await launch();
    vi.stubGlobal('location', new URL(`https://app.example/?${query}#/`));
    expect(getLaunchQuery()).toBe(query);
    expect(getAuthorization()).toBe(`Bearer ${query}`);
  });

  it('is undefined without launch params: no location, no query, no sign', () => {
    vi.stubGlobal('location', undefined);
    expect(getLaunchQuery()).toBeUndefined();
    expect(getAuthorization()).toBeUndefined();
    for (const source of [
      '',
      'https://app.example/',
      'https://app.example/?utm_source=feed',
      '?vk_user_id=1&vk_app_id=2',
      'https://app.example/#?sign=abc',
      'vk_user_id=1&xsign=abc',
      { search: '' },
      {},
      { vk_user_id: 1, vk_app_id: 2 },
      { vk_user_id: 1, sign: null },
    ]) {
      expect(getLaunchQuery(source), JSON.stringify(source)).toBeUndefined();
      expect(getAuthorization(source)).toBeUndefined();
    }
  });

  it('builds a query from bridge params that verifies, in the order given, sign last', async () => {
    const query = await launch();
    const bridge = bridgeParamsOf(query);
    const { sign, ...rest } = bridge;
    // The bridge's own order, sign first, and a key that is not signed.
    const shuffled: BridgeLaunchParams = {
      sign,
      ...Object.fromEntries(Object.entries(rest).reverse()),
      odr_enabled: 1,
    };
    const built = getLaunchQuery(shuffled) as string;
    expect(built.split('&').map((pair) => pair.split('=')[0])).toEqual([...Object.keys(rest).reverse(), 'sign']);
    expect(built).not.toContain('odr_enabled');
    expect(await verify(built)).toEqual(parseLaunchParams(query));
    expect(await verify(getAuthorization(bridge))).toEqual(parseLaunchParams(query));
    expect(getLaunchQuery(bridge)).toBe(query);
  });

  it('encodes decoded bridge values as PHP urlencode does, so tricky ones verify', async () => {
    const params = {
      vk_access_token_settings: 'friends,photos',
      vk_app_id: 6736218,
      vk_experiment: '{"950":0} a+b=c&d %2C ~*!\'()',
      vk_ref: 'Ёлка/🎄?#',
      vk_request_key: '',
      vk_ts: NOW_S,
      vk_user_id: 494075,
    };
    const query = await signLaunchParams(params, SECRET);
    const sign = new URLSearchParams(query).get('sign') as string;
    const built = getLaunchQuery({ ...params, sign }) as string;
    expect(built).toBe(query);
    expect(built).toContain(
      'vk_experiment=%7B%22950%22%3A0%7D+a%2Bb%3Dc%26d+%252C+%7E%2A%21%27%28%29&vk_ref=%D0%81%D0%BB%D0%BA%D0%B0%2F%F0%9F%8E%84%3F%23&vk_request_key=&',
    );
    const verified = await verify(built);
    expect(verified.vk_experiment).toBe(params.vk_experiment);
    expect(verified.vk_ref).toBe(params.vk_ref);
  });

  it('takes booleans as 1/0 and lists joined by commas, as signLaunchParams does', async () => {
    const typed = { vk_app_id: 1, vk_is_app_user: true, vk_is_favorite: false, vk_ts: NOW_S, vk_user_id: 2 };
    const query = await signLaunchParams({ ...typed, vk_access_token_settings: ['friends', 'photos'] }, SECRET);
    const sign = new URLSearchParams(query).get('sign') as string;
    const built = getLaunchQuery({ ...typed, vk_access_token_settings: ['friends', 'photos'], sign }) as string;
    expect(built).toContain('vk_access_token_settings=friends%2Cphotos&');
    expect(built).toContain('vk_is_app_user=1&vk_is_favorite=0&');
    expect((await verify(built)).vk_is_app_user).toBe(true);
  });

  it('any signed vk_* values, round-tripped through the bridge form, verify', async () => {
    const key = fc.stringMatching(/^vk_x[a-z_]{0,10}$/);
    const value = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.nat({ max: 2 ** 31 }));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, value, { maxKeys: 6 }), async (extra) => {
        const params = { ...extra, vk_app_id: 6736218, vk_ts: NOW_S, vk_user_id: 494075 } as SignableParams;
        const query = await signLaunchParams(params, SECRET);
        const sign = new URLSearchParams(query).get('sign') as string;
        const built = getLaunchQuery({ ...(params as BridgeLaunchParams), sign });
        expect(await verify(built)).toEqual(parseLaunchParams(query));
      }),
      { numRuns: 200 },
    );
  });
});

describe('createVkFetch', () => {
  let query = '';
  let calls: { input: RequestInfo | URL; init: RequestInit | undefined }[] = [];
  const recorder: VkFetch = (input, init) => {
    calls.push({ input, init });
    return Promise.resolve(new Response('ok'));
  };
  /** The Authorization the wrapped call sends: fetch takes init's headers over a Request's own. */
  const sentAuthorization = (index = calls.length - 1): string | null => {
    const { input, init } = calls[index] as (typeof calls)[number];
    return new Headers(init?.headers ?? (input as Request).headers).get('authorization');
  };

  async function onPage(options: Parameters<typeof createVkFetch>[0] = {}) {
    query = await launch();
    calls = [];
    vi.stubGlobal('location', new URL(`https://app.example/?${query}#/start`));
    return createVkFetch({ fetch: recorder, ...options });
  }

  it("attaches the header to the page's own origin, relative or absolute, string, URL or Request", async () => {
    const vkFetch = await onPage();
    for (const input of [
      '/api/me',
      'api/me?x=1',
      'https://app.example/api/me',
      'HTTPS://APP.EXAMPLE:443/api/me',
      new URL('https://app.example/api/me'),
      new Request('https://app.example/api/me', { method: 'POST', body: '{}' }),
    ]) {
      await vkFetch(input);
      expect(sentAuthorization(), String(input)).toBe(`Bearer ${query}`);
      // The request itself is passed on untouched, a URL as the string it was checked as:
      // nothing goes into its URL.
      expect(calls.at(-1)?.input).toBe(input instanceof Request ? input : String(input));
    }
    expect(await verify(sentAuthorization() ?? '')).toMatchObject({ vk_user_id: 494075 });
  });

  it('never attaches it to another origin', async () => {
    const vkFetch = await onPage();
    for (const input of [
      'http://app.example/api/me',
      'https://app.example:8443/api/me',
      'https://api.app.example/me',
      'https://app.example.evil.test/',
      '//evil.test/api/me',
      'https://app.example@evil.test/',
      'https://evil.test/?https://app.example/',
      'data:text/plain,hi',
      'javascript:alert(1)',
      'http://[::1',
      new URL('https://evil.test/api/me'),
      new Request('https://evil.test/api/me', { headers: { 'x-app': '1' } }),
    ]) {
      await vkFetch(input);
      const { init } = calls.at(-1) as (typeof calls)[number];
      expect(calls.at(-1)?.input, String(input)).toBe(input instanceof Request ? input : String(input));
      expect(init, String(input)).toBeUndefined();
    }
  });

  it('checks the URL fetch uses: String(input) for anything but a Request, never its url property', async () => {
    const vkFetch = await onPage();
    // fetch sends such an object to String(input); its url property means nothing to fetch.
    await vkFetch({ url: 'https://app.example/api/me', toString: () => 'https://evil.test/api/me' } as unknown as URL);
    expect(calls.at(-1)).toEqual({ input: 'https://evil.test/api/me', init: undefined });

    await vkFetch({ url: 'https://evil.test/api/me', toString: () => '/api/me' } as unknown as URL);
    expect(calls.at(-1)?.input).toBe('/api/me');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);

    // Anything with a toString, or a Symbol.toPrimitive, as fetch converts it.
    await vkFetch({ [Symbol.toPrimitive]: () => '/api/primitive', toString: () => 'https://evil.test/' } as never);
    expect(calls.at(-1)?.input).toBe('/api/primitive');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
  });

  it('converts the input once and passes that string on, so a toString that changes cannot split them', async () => {
    const vkFetch = await onPage();
    const shifty = (...answers: string[]) => {
      let calls = 0;
      const input = { toString: () => answers[Math.min(calls++, answers.length - 1)] as string };
      return Object.assign(input as unknown as URL, { calls: () => calls });
    };
    const ownThenEvil = shifty('/api/me', 'https://evil.test/api/me');
    await vkFetch(ownThenEvil);
    expect(calls.at(-1)?.input).toBe('/api/me');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
    expect((ownThenEvil as unknown as { calls(): number }).calls()).toBe(1);

    const evilThenOwn = shifty('https://evil.test/api/me', '/api/me');
    await vkFetch(evilThenOwn);
    expect(calls.at(-1)).toEqual({ input: 'https://evil.test/api/me', init: undefined });
    expect((evilThenOwn as unknown as { calls(): number }).calls()).toBe(1);

    // A URL subclass is converted the same way, by its own toString.
    class Shifty extends URL {
      #calls = 0;
      override toString() {
        return this.#calls++ ? 'https://evil.test/api/me' : 'https://app.example/api/me';
      }
    }
    await vkFetch(new Shifty('https://app.example/api/me'));
    expect(calls.at(-1)?.input).toBe('https://app.example/api/me');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
  });

  it('a toString that throws rejects, as fetch does, and nothing is sent', async () => {
    const vkFetch = await onPage();
    const boom = new Error('no string');
    await expect(
      vkFetch({
        toString: () => {
          throw boom;
        },
      } as unknown as URL),
    ).rejects.toBe(boom);
    await expect(vkFetch(Symbol('x') as never)).rejects.toThrow(TypeError);
    expect(calls).toEqual([]);
  });

  it('checks a Request by the URL inside it, as fetch does, not by an overridden url getter', async () => {
    const vkFetch = await onPage();
    let reads = 0;
    class Sneaky extends Request {
      override get url() {
        return reads++ ? 'https://evil.test/' : 'https://app.example/api/me';
      }
    }
    const out = new Sneaky('https://evil.test/api/x', { headers: { 'X-App': '1' } });
    await vkFetch(out);
    expect(calls.at(-1)?.input).toBe(out);
    expect(calls.at(-1)?.init).toBeUndefined();

    class Modest extends Request {
      override get url() {
        return 'https://evil.test/';
      }
      // What fetch sends is the Request's own headers, not what a getter answers.
      override get headers() {
        return new Headers({ authorization: 'Bearer fake' });
      }
    }
    const own = new Modest('https://app.example/api/me', { headers: { 'X-App': '1' } });
    await vkFetch(own);
    expect(calls.at(-1)?.input).toBe(own);
    expect(new Headers(calls.at(-1)?.init?.headers).get('x-app')).toBe('1');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
  });

  it('resolves a relative URL against the document’s base URL (a <base href>), as fetch does', async () => {
    const vkFetch = await onPage();
    vi.stubGlobal('document', { baseURI: 'https://evil.test/app/' });
    for (const input of ['api/me', '/api/me', '//app.example.evil.test/', '?x=1']) {
      await vkFetch(input);
      expect(calls.at(-1), input).toEqual({ input, init: undefined });
    }
    await vkFetch('https://app.example/api/me');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
    await vkFetch('//app.example/api/me');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);

    // And the other way: the page elsewhere, its base on the API's origin.
    vi.stubGlobal('location', new URL(`https://elsewhere.example/?${query}`));
    vi.stubGlobal('document', { baseURI: 'https://api.example.com/v1/' });
    const apiFetch = createVkFetch({ fetch: recorder, apiOrigin: 'https://api.example.com' });
    await apiFetch('me');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
    // The base is read on each call, as fetch does.
    vi.stubGlobal('document', { baseURI: 'https://elsewhere.example/' });
    await apiFetch('me');
    expect(calls.at(-1)?.init).toBeUndefined();
  });

  it('outside a document, resolves against location (a worker), or not at all', async () => {
    await onPage();
    const vkFetch = createVkFetch({ fetch: recorder, launchParams: `?${query}` });
    await vkFetch('/api/me'); // location alone, as in a worker
    expect(sentAuthorization()).toBe(`Bearer ${query}`);

    vi.stubGlobal('location', undefined);
    const serverFetch = createVkFetch({ fetch: recorder, apiOrigin: 'https://api.example.com', launchParams: query });
    await serverFetch('/api/me');
    expect(calls.at(-1)).toEqual({ input: '/api/me', init: undefined });
    await serverFetch(new URL('https://api.example.com/me'));
    expect(calls.at(-1)?.input).toBe('https://api.example.com/me');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
  });

  it('a Request with init.headers: those headers replace its own, as in fetch, and get the header', async () => {
    const vkFetch = await onPage();
    const request = new Request('https://app.example/api/x', { headers: { 'X-Request': '1' } });
    for (const headers of [
      new Headers({ 'X-Init': '2' }),
      { 'X-Init': '2' },
      [['X-Init', '2']] as [string, string][],
    ]) {
      await vkFetch(request, { headers, method: 'POST' });
      const sent = new Headers(calls.at(-1)?.init?.headers);
      expect(calls.at(-1)?.input).toBe(request);
      expect(calls.at(-1)?.init?.method).toBe('POST');
      expect([...sent]).toEqual([
        ['authorization', `Bearer ${query}`],
        ['x-init', '2'],
      ]);
    }
    // The caller's own Authorization, in the Request or in init, is kept.
    await vkFetch(new Request('https://app.example/api/x', { headers: { Authorization: 'Bearer mine' } }));
    expect(sentAuthorization()).toBe('Bearer mine');
    await vkFetch(request, { headers: [['Authorization', 'Bearer mine']] });
    expect(sentAuthorization()).toBe('Bearer mine');
    // init.headers are read once: a getter cannot give fetch other ones.
    let reads = 0;
    const init = {
      get headers(): Record<string, string> {
        return reads++ ? { authorization: 'Bearer other' } : { 'X-Once': '1' };
      },
    };
    await vkFetch('/api/x', init);
    expect(new Headers(calls.at(-1)?.init?.headers).get('x-once')).toBe('1');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
  });

  it('keeps the caller’s headers and init, and an Authorization the caller set', async () => {
    const vkFetch = await onPage();
    const signal = new AbortController().signal;
    await vkFetch('/api/x', { method: 'PUT', body: 'b', signal, headers: [['X-One', '1']] });
    const { init } = calls.at(-1) as (typeof calls)[number];
    expect(init?.method).toBe('PUT');
    expect(init?.body).toBe('b');
    expect(init?.signal).toBe(signal);
    expect(new Headers(init?.headers).get('x-one')).toBe('1');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);

    await vkFetch('/api/x', { headers: new Headers({ 'X-Two': '2' }) });
    expect(new Headers(calls.at(-1)?.init?.headers).get('x-two')).toBe('2');

    await vkFetch(new Request('https://app.example/api/x', { headers: { 'X-Three': '3' } }));
    expect(new Headers(calls.at(-1)?.init?.headers).get('x-three')).toBe('3');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);

    await vkFetch('/api/x', { headers: { authorization: 'Bearer mine' } });
    expect(sentAuthorization()).toBe('Bearer mine');
  });

  it('serves only the apiOrigin(s) given, and reads launch params from the source given', async () => {
    const vkFetch = await onPage({ apiOrigin: ['https://api.example.com/v1/', new URL('http://localhost:8787')] });
    await vkFetch('https://api.example.com/v2/me');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
    await vkFetch('http://localhost:8787/me');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
    await vkFetch('/api/me'); // the page's own origin is not an API origin here
    expect(calls.at(-1)?.init).toBeUndefined();

    const bridge = bridgeParamsOf(await launch({ vk_user_id: 7 }));
    const fromBridge = createVkFetch({ fetch: recorder, launchParams: bridge });
    await fromBridge('/api/me');
    expect(await verify(sentAuthorization() ?? '')).toMatchObject({ vk_user_id: 7 });
  });

  it('reads the launch params once, when created', async () => {
    const vkFetch = await onPage();
    vi.stubGlobal('location', new URL('https://app.example/#/router-removed-the-query'));
    await vkFetch('/api/me');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
  });

  it('sends requests as they are without launch params', async () => {
    calls = [];
    vi.stubGlobal('location', new URL('https://app.example/'));
    const vkFetch = createVkFetch({ fetch: recorder });
    await vkFetch('/api/me', { method: 'POST' });
    expect(calls).toEqual([{ input: '/api/me', init: { method: 'POST' } }]);
  });

  it('uses the global fetch by default, looked up on each call', async () => {
    await onPage();
    const vkFetch = createVkFetch();
    vi.stubGlobal('fetch', recorder);
    await vkFetch('/api/me');
    expect(sentAuthorization()).toBe(`Bearer ${query}`);
  });

  it('needs an http(s) apiOrigin outside a browser, and refuses a bad one', () => {
    vi.stubGlobal('location', undefined);
    expect(() => createVkFetch()).toThrow(/apiOrigin/);
    expect(() => createVkFetch({ apiOrigin: 'data:text/plain,x' })).toThrow(/apiOrigin/);
    expect(() => createVkFetch({ apiOrigin: '' })).toThrow(/apiOrigin/);
    expect(() => createVkFetch({ apiOrigin: [] })).not.toThrow();
    expect(() => createVkFetch({ apiOrigin: '/relative' })).toThrow(TypeError);
    expect(() => createVkFetch({ apiOrigin: 'https://api.example.com' })).not.toThrow();
  });
});
