/**
 * MAX mini-app init data: verify the `hash` MAX signs them with, the
 * algorithm MAX publishes (dev.max.ru/docs/webapps/validation): an
 * HMAC-SHA256 under a key derived from the bot token.
 *
 * MAX is not VK: its launches are not VK launch params, and neither scheme
 * applies to the other's data. Refusals are the root entry's `VkAuthError`,
 * with its codes.
 *
 * Runs wherever the root entry does (Node, Bun, Deno, Workers, Vercel Edge).
 *
 * @example
 * ```ts
 * import { verifyMaxInitData } from 'vk-miniapp-auth/max';
 * import { VkAuthError } from 'vk-miniapp-auth';
 *
 * try {
 *   const data = await verifyMaxInitData(request.headers.get('authorization'), {
 *     botToken: process.env.MAX_BOT_TOKEN!,
 *   });
 *   console.log(data.user?.id, data.start_param);
 * } catch (error) {
 *   if (VkAuthError.is(error)) return new Response(error.code, { status: error.status });
 *   throw error;
 * }
 * ```
 *
 * @module vk-miniapp-auth/max
 */
export type { MaxInitDataInput } from './max/input.js';
export type { MaxVerifyOptions } from './max/options.js';
export { parseMaxInitData } from './max/parse.js';
export { type MaxInitDataToSign, signMaxInitData } from './max/sign.js';
export type { MaxChat, MaxInitData, MaxUser } from './max/types.js';
export { isValidMaxInitData, verifyMaxInitData } from './max/verify.js';
