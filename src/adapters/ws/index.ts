/**
 * Authentication of HTTP upgrades, for `ws` and any WebSocket server on a
 * Node `upgrade` event: `createUpgradeAuth(options)` verifies the upgrade
 * request and says when its credential expires; `refuseUpgrade` answers a
 * refusal with the adapters' 401. Does not import `ws`.
 *
 * @example
 * ```ts
 * import { createUpgradeAuth, refuseUpgrade } from 'vk-miniapp-auth/ws';
 *
 * const authenticate = createUpgradeAuth({ secret: process.env.VK_APP_SECRET! });
 * server.on('upgrade', (request, socket, head) => {
 *   authenticate(request).then(
 *     (vk) => wss.handleUpgrade(request, socket, head, (ws) => ws.send(String(vk.params.vk_user_id))),
 *     (error) => refuseUpgrade(socket, error),
 *   );
 * });
 * ```
 *
 * @module vk-miniapp-auth/ws
 */
export type * from '../common/types.js';
export {
  createUpgradeAuth,
  refuseUpgrade,
  type UpgradeAuth,
  type UpgradeAuthOptions,
  type VkUpgradeContext,
} from './upgrade.js';
