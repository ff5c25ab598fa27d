/**
 * Socket.IO middleware: `io.use(vkMiniAppAuth(options))` verifies the
 * credential of every connection at its handshake and puts
 * `{ params, user }` on `socket.data.vk`; `disconnectOnExpiry` ends the
 * connection when that credential expires.
 *
 * @example
 * ```ts
 * import { Server } from 'socket.io';
 * import { type VkSocketData, vkMiniAppAuth } from 'vk-miniapp-auth/socket.io';
 *
 * const io = new Server<{}, {}, {}, VkSocketData>(3000);
 * io.use(vkMiniAppAuth({ secret: process.env.VK_APP_SECRET! }));
 * io.on('connection', (socket) => console.log(socket.data.vk.params.vk_user_id));
 *
 * // In the mini app: io(url, { auth: (send) => send({ token: location.search.slice(1) }) })
 * ```
 *
 * @module vk-miniapp-auth/socket.io
 */
export type * from '../common/types.js';
export {
  type SocketIoVkMiniAppAuthOptions,
  type VkConnectErrorData,
  type VkSocketData,
  type VkSocketMiddleware,
  vkMiniAppAuth,
} from './middleware.js';
