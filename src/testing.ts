/**
 * Signed launch params for your own test suites: a valid set for any user, an
 * expired one and a tampered one, each with the `Authorization` header that
 * carries it. Runs wherever the library does (Node, Bun, Deno, Workers,
 * browsers).
 *
 * Never use these in production code: there, only VK signs.
 *
 * @example
 * ```ts
 * import { createLaunchParams } from 'vk-miniapp-auth/testing';
 *
 * const { authorization } = await createLaunchParams({ secret: SECRET, userId: 42 });
 * const response = await app.request('/api/me', { headers: { Authorization: authorization } });
 * ```
 *
 * @module vk-miniapp-auth/testing
 */
import type { LaunchParams } from './launch-params/types.js';
import { TYPICAL_LAUNCH_PARAMS } from './launch-params/typical.js';
import { DEFAULT_MAX_AGE } from './options.js';
import { parseLaunchParams } from './parse.js';
import { type SignableParams, signLaunchParams } from './sign.js';

/**
 * Options of {@link createLaunchParams} and the other helpers.
 *
 * @example
 * ```ts
 * const options: TestLaunchParamsOptions = {
 *   secret: 'test-secret',
 *   userId: 42,
 *   appId: 6736218,
 *   params: { vk_platform: 'mobile_iphone', vk_group_id: 1 },
 * };
 * ```
 */
export interface TestLaunchParamsOptions {
  /** The Secure key your code under test verifies with. */
  secret: string;
  /** `vk_user_id`. Default `494075`. */
  userId?: number;
  /** `vk_app_id`. Default `6736218`. */
  appId?: number;
  /**
   * `vk_ts`, in Unix seconds. Default: the current time from `now`, so the set
   * passes the default `maxAge` of the code under test.
   */
  ts?: number;
  /**
   * The current time in milliseconds, like `Date.now` (the default): the same
   * function you pass to `verifyLaunchParams`' `now` keeps a test independent
   * of the wall clock.
   */
  now?: () => number;
  /**
   * More `vk_*` params, or other values for the defaults; `undefined` removes
   * one (`{ vk_ts: undefined }` for a launch without a timestamp).
   */
  params?: SignableParams;
  /** The app's URL, for `url`. Default `https://example.com/`. */
  baseUrl?: string;
}

/**
 * A signed set of launch params in every form a test needs.
 *
 * @example
 * ```ts
 * const { query, url, authorization, params } = await createLaunchParams({ secret });
 * await page.goto(url); // a browser test opens the app as VK would
 * ```
 */
export interface TestLaunchParams {
  /** The signed query, without `?`: `vk_…&sign=…`, as VK appends it to the app's URL. */
  query: string;
  /** The app's URL with the launch params, as VK opens it. */
  url: string;
  /** The `Authorization` value the client sends: `Bearer <query>`. */
  authorization: string;
  /** The same params, typed as `verifyLaunchParams` returns them (for assertions). */
  params: LaunchParams;
}

/**
 * Options of {@link createExpiredLaunchParams}: those of
 * {@link createLaunchParams} but `ts`, and the `maxAge` to exceed.
 *
 * @example
 * ```ts
 * const options: ExpiredLaunchParamsOptions = { secret: 'test-secret', maxAge: 86_400 };
 * ```
 */
export interface ExpiredLaunchParamsOptions extends Omit<TestLaunchParamsOptions, 'ts'> {
  /** The `maxAge` (seconds) of the code under test. Default `3600`, the library's default. */
  maxAge?: number;
}

/**
 * Options of {@link createTamperedLaunchParams}: those of
 * {@link createLaunchParams}, and what to change after signing.
 *
 * @example
 * ```ts
 * const options: TamperedLaunchParamsOptions = { secret: 'test-secret', tamper: { vk_app_id: 1 } };
 * ```
 */
export interface TamperedLaunchParamsOptions extends TestLaunchParamsOptions {
  /**
   * The values changed after signing. Default: `vk_user_id` set to another
   * user, the classic forgery.
   */
  tamper?: SignableParams;
}

/**
 * Valid launch params for a user, signed with your secret: defaults for the
 * usual keys (`vk_platform: 'desktop_web'`, `vk_language: 'ru'`, …) and
 * `vk_ts` fixed when called (or given), so the same options and `now` always
 * give the same query.
 *
 * @example
 * ```ts
 * import { verifyLaunchParams } from 'vk-miniapp-auth';
 * import { createLaunchParams } from 'vk-miniapp-auth/testing';
 *
 * const launch = await createLaunchParams({ secret: SECRET, userId: 42, params: { vk_language: 'en' } });
 * const params = await verifyLaunchParams(launch.authorization, { secret: SECRET });
 * params.vk_user_id; // 42
 * ```
 */
export async function createLaunchParams(options: TestLaunchParamsOptions): Promise<TestLaunchParams> {
  return launchOf(await signLaunchParams(paramsOf(options), secretOf(options)), options.baseUrl);
}

/**
 * Launch params with a valid signature but a `vk_ts` a day older than
 * `maxAge` allows: verification fails with `EXPIRED`.
 *
 * @example
 * ```ts
 * const { authorization } = await createExpiredLaunchParams({ secret: SECRET });
 * const response = await app.request('/api/me', { headers: { Authorization: authorization } });
 * expect(await response.json()).toMatchObject({ error: 'EXPIRED' });
 * ```
 */
export async function createExpiredLaunchParams(options: ExpiredLaunchParamsOptions): Promise<TestLaunchParams> {
  const { maxAge = DEFAULT_MAX_AGE } = options;
  if (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge <= 0) {
    throw new TypeError('vk-miniapp-auth: createExpiredLaunchParams needs maxAge as a positive number of seconds.');
  }
  return createLaunchParams({ ...options, ts: nowSeconds(options) - maxAge - 86_400 });
}

/**
 * Launch params changed after VK signed them (by default, another
 * `vk_user_id` with the original `sign`): verification fails with
 * `SIGN_INVALID`.
 *
 * @example
 * ```ts
 * const { authorization } = await createTamperedLaunchParams({ secret: SECRET, tamper: { vk_app_id: 1 } });
 * await expect(verifyLaunchParams(authorization, { secret: SECRET })).rejects.toMatchObject({ code: 'SIGN_INVALID' });
 * ```
 */
export async function createTamperedLaunchParams(options: TamperedLaunchParamsOptions): Promise<TestLaunchParams> {
  const secret = secretOf(options);
  const genuine = paramsOf(options);
  const tamper = options.tamper ?? { vk_user_id: (options.userId ?? DEFAULT_USER_ID) + 1 };
  const forged = { ...genuine, ...tamper };
  const [signed, reSigned] = await Promise.all([signLaunchParams(genuine, secret), signLaunchParams(forged, secret)]);
  const genuineSign = signed.slice(signed.lastIndexOf('sign='));
  const forgedSign = reSigned.slice(reSigned.lastIndexOf('sign='));
  if (genuineSign === forgedSign) {
    throw new TypeError('vk-miniapp-auth: createTamperedLaunchParams needs a tamper that changes a signed value.');
  }
  // The forged values with the signature of the genuine ones.
  return launchOf(reSigned.slice(0, -forgedSign.length) + genuineSign, options.baseUrl);
}

const DEFAULT_USER_ID = 494075;
const DEFAULT_APP_ID = 6736218;

function secretOf(options: TestLaunchParamsOptions): string {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('vk-miniapp-auth: the testing helpers need options with { secret }.');
  }
  return options.secret;
}

function nowSeconds(options: TestLaunchParamsOptions): number {
  return Math.floor((options.now ?? Date.now)() / 1000);
}

function paramsOf(options: TestLaunchParamsOptions): SignableParams {
  secretOf(options);
  return {
    ...TYPICAL_LAUNCH_PARAMS,
    vk_app_id: options.appId ?? DEFAULT_APP_ID,
    vk_ts: options.ts ?? nowSeconds(options),
    vk_user_id: options.userId ?? DEFAULT_USER_ID,
    ...options.params,
  };
}

function launchOf(query: string, baseUrl = 'https://example.com/'): TestLaunchParams {
  const url = new URL(baseUrl);
  url.search = url.search ? `${url.search}&${query}` : query;
  return { query, url: url.href, authorization: `Bearer ${query}`, params: parseLaunchParams(query) };
}
