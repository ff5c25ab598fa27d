// Dev mode's fake users, and the launch links the dev launcher opens: signed
// with the demo's dev secret exactly as VK signs a real launch.
import { signLaunchParams } from 'vk-miniapp-auth';

/**
 * @typedef {object} FakeUser A user of the dev launcher.
 * @property {number} vkUserId
 * @property {string} name
 * @property {string} platform `vk_platform` of the user's launches.
 * @property {string} language `vk_language` of the user's launches.
 */

/**
 * @typedef {object} DevLaunch A fake user with three links to the mini-app page.
 * @property {number} vkUserId
 * @property {string} name
 * @property {string} platform
 * @property {string} language
 * @property {string} url `/?<launch query>`, signed now: the page opens as this user.
 * @property {string} tamperedUrl The same query with `vk_user_id` changed (to the next fake user's): refused.
 * @property {string} expiredUrl A query signed with `vk_ts` two hours ago: refused as expired.
 */

/**
 * The dev launcher's users. Their names are known to the server only (VK
 * does not sign names), so `resolveUser` stores them for these ids in dev mode.
 *
 * @type {readonly FakeUser[]}
 *
 * @example
 * ```js
 * FAKE_USERS.map((user) => user.name); // ['Иван Петров', …]
 * ```
 */
export const FAKE_USERS = Object.freeze(
  [
    { vkUserId: 494075, name: 'Иван Петров', platform: 'mobile_android', language: 'ru' },
    { vkUserId: 1000001, name: 'Анна Смирнова', platform: 'mobile_iphone', language: 'ru' },
    { vkUserId: 1000002, name: 'Олена Коваленко', platform: 'mobile_web', language: 'uk' },
    { vkUserId: 1000003, name: 'Jane Doe', platform: 'desktop_web', language: 'en' },
  ].map((user) => Object.freeze(user)),
);

/** How old the expired links are: two hours, twice the default `maxAge` of one hour. */
const EXPIRED_AGE_SECONDS = 2 * 60 * 60;

/**
 * The name of a fake user, or `null` for any other id.
 *
 * @param {number} vkUserId
 * @returns {string | null}
 *
 * @example
 * ```js
 * fakeUserName(494075); // 'Иван Петров'
 * ```
 */
export function fakeUserName(vkUserId) {
  return FAKE_USERS.find((user) => user.vkUserId === vkUserId)?.name ?? null;
}

/**
 * The body of `GET /dev/launches`: every fake user with a fresh signed link,
 * a tampered one and an expired one, signed at `nowMs`.
 *
 * @param {{ appId: number, secret: string, nowMs: number }} options
 * @returns {Promise<{ appId: number, users: DevLaunch[] }>}
 *
 * @example
 * ```js
 * const { users } = await devLaunches({ appId: 7654321, secret, nowMs: Date.now() });
 * window.open(users[0].url);
 * ```
 */
export async function devLaunches({ appId, secret, nowMs }) {
  const ts = Math.floor(nowMs / 1000);
  const users = await Promise.all(
    FAKE_USERS.map(async (user, index) => {
      const query = await signLaunch(user, appId, ts, secret);
      const impostor = FAKE_USERS[(index + 1) % FAKE_USERS.length] ?? user;
      const tampered = query.replace(/(^|&)vk_user_id=\d+/, `$1vk_user_id=${impostor.vkUserId}`);
      const expired = await signLaunch(user, appId, ts - EXPIRED_AGE_SECONDS, secret);
      return { ...user, url: `/?${query}`, tamperedUrl: `/?${tampered}`, expiredUrl: `/?${expired}` };
    }),
  );
  return { appId, users };
}

/**
 * The launch params VK would send for `user`, signed.
 *
 * @param {FakeUser} user
 * @param {number} appId
 * @param {number} ts
 * @param {string} secret
 */
function signLaunch(user, appId, ts, secret) {
  return signLaunchParams(
    {
      vk_access_token_settings: '',
      vk_app_id: appId,
      vk_are_notifications_enabled: 0,
      vk_is_app_user: 1,
      vk_is_favorite: 0,
      vk_language: user.language,
      vk_platform: user.platform,
      vk_ref: 'other',
      vk_ts: ts,
      vk_user_id: user.vkUserId,
    },
    secret,
  );
}
