// The core suite every runtime runs (Node, Bun, Deno, workerd). It imports
// nothing: each runner passes in the library namespace it resolved and the
// known-answer vectors (test/fixtures/vectors.json), so the same code checks each build on each runtime. Only
// globals every runtime has are used (TextEncoder, btoa, URLSearchParams,
// crypto.subtle).

const SECRET = 'wvl68m4dR1UpLrVRli';
const APP_ID = 6736218;
const USER_ID = 494075;
const TS = 1_700_000_000; // a fixed vk_ts, in seconds; tests pass `now` around it
const at = (seconds) => () => seconds * 1000;
// Characters where PHP's urlencode and encodeURIComponent disagree, plus Unicode.
const TRICKY = "Привет, мир! it's (a) *test* ~ 🎉 a+b&c=d";

/**
 * Runs the suite against `lib` (the package namespace), `vectors` (vectors.json)
 * and, when given, `payments` (the `vk-miniapp-auth/payments` namespace).
 */
export async function runSuite(lib, vectors, payments) {
  const result = { passed: 0, failed: 0, failures: [] };
  const test = async (name, body) => {
    try {
      await body();
      result.passed++;
    } catch (error) {
      result.failed++;
      result.failures.push(`${name}: ${error?.message ?? String(error)}`);
    }
  };

  await test('the library exports its public API', () => {
    for (const name of ['verifyLaunchParams', 'isValidLaunchParams', 'parseLaunchParams', 'signLaunchParams']) {
      assert(typeof lib[name] === 'function', `${name} is not a function`);
    }
    assert(typeof lib.VkAuthError?.is === 'function', 'VkAuthError.is is missing');
    assert(typeof lib.VKMiniAppAuthenticator === 'function', 'VKMiniAppAuthenticator is missing');
    equal(lib.MAX_INPUT_LENGTH, 8192, 'MAX_INPUT_LENGTH');
  });

  // Known answers first: they pin the HMAC and canonical string to VK's.
  const launchVectors = vectors?.launchParams ?? [];
  await test('vectors.json has launch-params vectors', () => assert(launchVectors.length >= 7, 'fewer than 7'));
  for (const vector of launchVectors) {
    await test(`vector ${vector.id} is ${vector.valid ? 'accepted' : 'refused'}`, async () => {
      const attempt = lib.verifyLaunchParams(vector.input, { secret: vector.secret, maxAge: 0 });
      if (vector.valid) {
        const params = await attempt;
        assert(/^[A-Za-z0-9_-]{43}$/.test(params.sign), 'no sign in the result');
      } else {
        await rejects(lib, attempt, 'SIGN_INVALID');
      }
    });
  }

  const base = {
    vk_user_id: USER_ID,
    vk_app_id: APP_ID,
    vk_ts: TS,
    vk_platform: 'mobile_web',
    vk_language: 'ru',
    vk_is_app_user: true,
    vk_are_notifications_enabled: false,
    vk_access_token_settings: ['friends', 'groups'],
  };
  const fresh = { secret: SECRET, appId: APP_ID, now: at(TS + 60) };
  const query = await lib.signLaunchParams({ ...base, vk_ref: TRICKY }, SECRET);

  await test('signLaunchParams matches an independent Web Crypto HMAC', async () => {
    const [canonical, sign] = query.split('&sign=');
    equal(await hmac(SECRET, canonical), sign, 'sign');
    assert(canonical.includes('%21') && canonical.includes('+'), 'canonical string is not in PHP urlencode form');
  });

  // The same signed launch in every form a client sends it.
  const forms = {
    'Bearer query': `Bearer ${query}`,
    'VK base64 of ?query': `VK ${base64Utf8(`?${query}`)}`,
    'full URL': `https://example.com/app/?${query}#/home`,
    URLSearchParams: new URLSearchParams(query),
    'plain object': Object.fromEntries(new URLSearchParams(query)),
  };
  for (const [form, input] of Object.entries(forms)) {
    await test(`round trip through ${form}`, async () => {
      const params = await lib.verifyLaunchParams(input, fresh);
      equal(params.vk_user_id, USER_ID, 'vk_user_id');
      equal(params.vk_app_id, APP_ID, 'vk_app_id');
      equal(params.vk_ts, TS, 'vk_ts');
      equal(params.vk_ref, TRICKY, 'vk_ref');
      equal(params.vk_is_app_user, true, 'vk_is_app_user');
      equal(params.vk_are_notifications_enabled, false, 'vk_are_notifications_enabled');
      equal(JSON.stringify(params.vk_access_token_settings), '["friends","groups"]', 'vk_access_token_settings');
    });
  }

  await test('a sign over the encodeURIComponent form is accepted too', async () => {
    const sorted = [...new URLSearchParams(query)]
      .filter(([key]) => key !== 'sign')
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const canonical = sorted.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const params = await lib.verifyLaunchParams(`${canonical}&sign=${await hmac(SECRET, canonical)}`, fresh);
    equal(params.vk_ref, TRICKY, 'vk_ref');
  });

  await test('a tampered value is SIGN_INVALID, and the message never holds the secret', async () => {
    const tampered = query.replace(`vk_user_id=${USER_ID}`, 'vk_user_id=1');
    const error = await rejects(lib, lib.verifyLaunchParams(tampered, fresh), 'SIGN_INVALID');
    equal(error.status, 401, 'status');
    assert(!error.message.includes(SECRET), 'the message leaks the secret');
  });

  // Expiry: default maxAge 3600 s and clockSkew 30 s.
  await test('expiry: accepted within maxAge + clockSkew', () =>
    lib.verifyLaunchParams(query, { ...fresh, now: at(TS + 3629) }));
  await test('expiry: EXPIRED after maxAge + clockSkew', () =>
    rejects(lib, lib.verifyLaunchParams(query, { ...fresh, now: at(TS + 3631) }), 'EXPIRED'));
  await test('expiry: TS_IN_FUTURE beyond clockSkew', () =>
    rejects(lib, lib.verifyLaunchParams(query, { ...fresh, now: at(TS - 31) }), 'TS_IN_FUTURE'));
  await test('expiry: TS_MISSING without vk_ts unless maxAge is 0', async () => {
    const { vk_ts, ...noTs } = base;
    const signed = await lib.signLaunchParams(noTs, SECRET);
    await rejects(lib, lib.verifyLaunchParams(signed, fresh), 'TS_MISSING');
    await lib.verifyLaunchParams(signed, { secret: SECRET, maxAge: 0 });
  });

  // Input refusals, each before any crypto.
  await test('DUPLICATE_PARAM for a repeated key in a query', () =>
    rejects(lib, lib.verifyLaunchParams(`${query}&vk_user_id=1`, fresh), 'DUPLICATE_PARAM'));
  await test('DUPLICATE_PARAM for an array value in an object', () =>
    rejects(
      lib,
      lib.verifyLaunchParams({ ...forms['plain object'], vk_user_id: ['1', '2'] }, fresh),
      'DUPLICATE_PARAM',
    ));
  await test('TOO_LARGE over 8192 characters', () =>
    rejects(lib, lib.verifyLaunchParams(`${query}&pad=${'x'.repeat(8192)}`, fresh), 'TOO_LARGE'));
  await test('MALFORMED for a broken % escape', () =>
    rejects(lib, lib.verifyLaunchParams(`${query}&vk_extra=%E0%A4%A`, fresh), 'MALFORMED'));

  // Which apps and secrets are accepted.
  await test('APP_ID_MISMATCH for another app', () =>
    rejects(lib, lib.verifyLaunchParams(query, { ...fresh, appId: 1 }), 'APP_ID_MISMATCH'));
  await test('appId may be a list', () => lib.verifyLaunchParams(query, { ...fresh, appId: [1, String(APP_ID)] }));
  await test('UNKNOWN_APP with a per-app secret map', async () => {
    await rejects(
      lib,
      lib.verifyLaunchParams(query, { ...fresh, appId: undefined, secret: { 1: 'x' } }),
      'UNKNOWN_APP',
    );
    await lib.verifyLaunchParams(query, { ...fresh, appId: undefined, secret: { 1: 'x', [APP_ID]: ['old', SECRET] } });
  });
  await test('key rotation: any secret of the list may match', async () => {
    await lib.verifyLaunchParams(query, { ...fresh, secret: ['new-secret', SECRET] });
    await rejects(lib, lib.verifyLaunchParams(query, { ...fresh, secret: ['new-secret', 'other'] }), 'SIGN_INVALID');
  });

  await test('isValidLaunchParams answers booleans and still throws on misconfiguration', async () => {
    equal(await lib.isValidLaunchParams(query, fresh), true, 'valid');
    equal(await lib.isValidLaunchParams(`${query}x`, fresh), false, 'tampered');
    equal(await lib.isValidLaunchParams(query, { ...fresh, now: at(TS + 7200) }), false, 'expired');
    const error = await lib.isValidLaunchParams(query, { secret: '' }).catch((e) => e);
    assert(error instanceof TypeError, 'an empty secret does not throw a TypeError');
  });

  await test('parseLaunchParams reads without verifying', () => {
    const params = lib.parseLaunchParams(query.replace(`vk_user_id=${USER_ID}`, 'vk_user_id=7'));
    equal(params.vk_user_id, 7, 'vk_user_id');
    equal(params.vk_ref, TRICKY, 'vk_ref');
  });

  // The Python package's surface; its clients send base64 of the whole launch URL.
  await test('VKMiniAppAuthenticator with base64 of the whole URL', async () => {
    const token = base64Utf8(`https://example.com/app/?${query}`);
    const auth = new lib.VKMiniAppAuthenticator(APP_ID, SECRET, { ttl: 3600, now: at(TS + 60) });
    const params = auth.getLaunchParams(token);
    assert(params !== null, 'getLaunchParams returned null');
    equal(params.vk_user_id, USER_ID, 'vk_user_id');
    equal(await auth.isSigned(params), true, 'isSigned');
    equal(await auth.isSigned({ ...params }), true, 'isSigned of a copy');
    equal(await auth.isSigned({ ...params, vk_user_id: 1 }), false, 'isSigned of a tampered copy');
    equal(auth.isExpired(params), false, 'isExpired');
    const later = new lib.VKMiniAppAuthenticator(APP_ID, SECRET, { ttl: 3600, now: at(TS + 7200) });
    equal(later.isExpired(params), true, 'isExpired later');
    equal(await later.isSigned(params), false, 'isSigned when expired');
    equal(await new lib.VKMiniAppAuthenticator(1, SECRET).isSigned(params), false, 'isSigned for another app');
    equal(auth.getLaunchParams(base64Utf8('https://example.com/?foo=bar')), null, 'getLaunchParams without params');
  });

  // The other data VK signs (docs/protocol.md, "Other data VK signs"), on the same back end.
  for (const vector of vectors?.createHash ?? []) {
    await test(`createHash vector ${vector.id}`, async () => {
      const verified = await lib.verifyCreateHash(
        { payload: vector.payload, ts: vector.ts, sign: vector.sign },
        { appId: vector.appId, userId: vector.userId, secret: vector.secret, maxAge: 0 },
      );
      equal(verified.payload, vector.payload, 'payload');
      await rejects(
        lib,
        lib.verifyCreateHash(
          { payload: `${vector.payload}!`, ts: vector.ts, sign: vector.sign },
          { appId: vector.appId, userId: vector.userId, secret: vector.secret, maxAge: 0 },
        ),
        'CREATE_HASH_INVALID',
      );
    });
  }
  for (const vector of vectors?.contactSigns ?? []) {
    await test(`contact sign vector ${vector.id}`, async () => {
      const options = { appId: vector.appId, userId: vector.userId, secret: vector.secret };
      const verify = vector.field === 'email' ? lib.verifyEmailSign : lib.verifyPhoneNumberSign;
      equal(await verify({ [vector.field]: vector.value, sign: vector.sign }, options), vector.value, 'value');
      await rejects(lib, verify({ [vector.field]: `${vector.value}0`, sign: vector.sign }, options), 'SIGN_INVALID');
    });
  }
  if (payments !== undefined) {
    for (const vector of vectors?.payments ?? []) {
      await test(`payments vector ${vector.id}`, () => {
        const form = { ...vector.params, sig: vector.sig };
        payments.verifyPaymentNotification(form, vector.secret);
        let refused = false;
        try {
          payments.verifyPaymentNotification({ ...form, extra: '1' }, vector.secret);
        } catch (error) {
          refused = lib.VkAuthError.is(error, 'SIGN_INVALID');
        }
        assert(refused, 'a changed notification was not refused with SIGN_INVALID');
      });
    }
  }

  return result;
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function equal(actual, expected, what) {
  if (actual !== expected)
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Awaits a promise that must reject with a VkAuthError of `code`; returns the error. */
async function rejects(lib, promise, code) {
  let error;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  if (error === undefined) throw new Error(`expected ${code}, but it resolved`);
  if (!lib.VkAuthError.is(error, code)) throw new Error(`expected ${code}, got ${error?.code ?? error}`);
  return error;
}

/** base64 of the UTF-8 bytes of `text`, as browsers send it (btoa alone only takes Latin-1). */
function base64Utf8(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** HMAC-SHA256 base64url, computed here with Web Crypto to cross-check the library's backend. */
async function hmac(secret, message) {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const bytes = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
