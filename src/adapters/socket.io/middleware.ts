import type { DefaultEventsMap, ExtendedError, Socket } from 'socket.io';
import type { VkAuthErrorCode } from '../../errors.js';
import type { LaunchParamsInput } from '../../launch-params/input.js';
import { MissingOptionError } from '../../missing-option.js';
import { readNow } from '../../options.js';
import { createAuthenticateConnection } from '../common/connection.js';
import type { AdapterContext } from '../common/context.js';
import type { VkMiniAppAuthOptions } from '../common/options.js';
import { refusalOf } from '../common/refusal.js';
import { createExpiryWatch } from './expiry.js';

/**
 * What the middleware puts on `socket.data`: `vk`, the verified launch and
 * the user `resolveUser` returned (and `session`, a session token issued or
 * renewed, with the `session` option). With `optional: true`, `vk` is `null`
 * for a socket that sent no credential; with `max` (`Max` is `true`), it may
 * be a MAX launch.
 *
 * Give it to your `Server` as its fourth type argument (`SocketData`), alone
 * or with your own fields: `socket.data.vk` is then typed in every handler,
 * and `io.use(vkMiniAppAuth(…))` does not compile unless what the middleware
 * stores fits what you declared.
 *
 * @example
 * ```ts
 * import { Server } from 'socket.io';
 * import { type VkSocketData, vkMiniAppAuth } from 'vk-miniapp-auth/socket.io';
 *
 * interface User {
 *   id: number;
 * }
 *
 * const io = new Server<ClientToServer, ServerToClient, {}, VkSocketData<User> & { room?: string }>(httpServer);
 * io.use(vkMiniAppAuth({ secret: process.env.VK_APP_SECRET!, resolveUser: (params) => ({ id: params.vk_user_id }) }));
 * io.on('connection', (socket) => {
 *   console.log(socket.data.vk.user.id, socket.data.vk.params.vk_platform);
 * });
 * ```
 */
export interface VkSocketData<User = undefined, Optional extends boolean = false, Max extends boolean = false> {
  /** The verified launch and user; `null` for an anonymous socket let through by `optional`. */
  vk: Optional extends false ? AdapterContext<User, Max> : AdapterContext<User, Max> | null;
}

/**
 * `err.data` of the `connect_error` a refused socket gets on the client:
 * `code` is one of the library's codes (the same as the other adapters'
 * 401 bodies: `MISSING_CREDENTIALS`, `EXPIRED`, `SESSION_EXPIRED`,
 * `USER_REJECTED`…), with `err.message` saying what to do; or
 * `SERVER_ERROR` when the server failed (`resolveUser` threw), with the
 * message `Internal server error` and nothing of the error itself.
 *
 * @example
 * ```ts
 * import type { VkConnectErrorData } from 'vk-miniapp-auth/socket.io';
 *
 * socket.on('connect_error', (err) => {
 *   const { code } = (err as Error & { data?: VkConnectErrorData }).data ?? {};
 *   if (code === 'SESSION_EXPIRED') sessionToken = undefined; // the next attempt sends the launch params
 * });
 * ```
 */
export interface VkConnectErrorData {
  /** The refusal's stable code, or `SERVER_ERROR`. */
  readonly code: VkAuthErrorCode | 'SERVER_ERROR';
}

/**
 * The middleware `vkMiniAppAuth` returns, for `io.use(…)` or
 * `namespace.use(…)`. It is generic over the server's `SocketData`, to check
 * that it declares `vk` as {@link VkSocketData} of the same user: a server
 * whose `SocketData` lacks it (or types it otherwise) gets a compile error
 * naming `VkSocketData`. A server with no `SocketData` type takes it as is.
 *
 * @example
 * ```ts
 * const auth: VkSocketMiddleware<User> = vkMiniAppAuth({ secret, resolveUser: (params) => users.get(params.vk_user_id) });
 * io.use(auth);
 * io.of('/admin').use(auth);
 * ```
 */
export type VkSocketMiddleware<User = undefined, Optional extends boolean = false, Max extends boolean = false> = <
  SocketData,
>(
  socket: Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>,
  // The check: what the middleware stores must be assignable to the declared `vk` (`any` takes anything).
  next: 0 extends 1 & SocketData
    ? (err?: ExtendedError) => void
    : SocketData extends { vk: infer Declared }
      ? [VkSocketData<User, Optional, Max>['vk']] extends [Declared]
        ? (err?: ExtendedError) => void
        : { 'Declare socket.data.vk as VkSocketData<User> of the user resolveUser returns': never }
      : { 'Declare SocketData as VkSocketData<User>: socket.data.vk is missing': never },
) => void;

/**
 * Options of the Socket.IO middleware: {@link VkMiniAppAuthOptions}, with the
 * `Socket` as the request, plus `disconnectOnExpiry`.
 *
 * @example
 * ```ts
 * const options: SocketIoVkMiniAppAuthOptions<User> = {
 *   secret: process.env.VK_APP_SECRET!,
 *   resolveUser: (params, socket) => users.getOrCreate(params.vk_user_id),
 *   getCredentials: (socket) => socket.handshake.auth.launchParams,
 *   session: { secret: process.env.VK_SESSION_SECRET! },
 *   disconnectOnExpiry: true,
 * };
 * ```
 */
export interface SocketIoVkMiniAppAuthOptions<User = undefined, Max extends boolean = false>
  extends VkMiniAppAuthOptions<Socket, User, Max> {
  /**
   * Disconnects a socket when the credential it connected with would be
   * refused: launch params once `vk_ts` is `maxAge` + `clockSkew` seconds old
   * (never with `maxAge: 0`), a session token at its `exp` plus the session's
   * `clockSkew`. A request is checked again on the next request; a socket is
   * checked once, so without this option it stays connected on a credential
   * that has long expired. Default `false`.
   *
   * The socket is disconnected with `socket.disconnect(true)`, which also
   * closes the underlying connection (other namespaces on it included). The
   * client gets `disconnect` with reason `io server disconnect`, on which
   * `socket.io-client` does not reconnect by itself: call `socket.connect()`,
   * with `auth` as a function so that it sends a fresh credential (see
   * {@link vkMiniAppAuth}). The time is the `now` option's.
   */
  disconnectOnExpiry?: boolean;
}

/**
 * Socket.IO middleware (Socket.IO 4) that verifies the credential of every
 * connection to a namespace, once, at the handshake, and puts the result on
 * `socket.data.vk`: the verified launch params, the user `resolveUser`
 * returned, and with the `session` option the session token issued (a launch)
 * or renewed (a token past half its life) in `session`, for you to send to
 * the client.
 *
 * The credential is the client's `auth.token`: the launch params
 * (`location.search`, with or without `?`), `Bearer <launch params>`, or a
 * session token. Without one, the handshake's `Authorization` header, which
 * Node clients can set (`extraHeaders`); browsers cannot on WebSocket. Read it
 * elsewhere with `getCredentials(socket)`.
 *
 * A refused handshake gets `connect_error` on the client, with the refusal's
 * message and `err.data.code`, its stable code (see
 * {@link VkConnectErrorData}); the `connection` handler never runs. A server
 * error (`resolveUser` throwing, a secret not configured) reaches the client
 * as `Internal server error`, code `SERVER_ERROR`, and the error itself goes
 * to `console.error` on the server, never to the client. `socket.io-client`
 * does not retry a refused handshake by itself.
 *
 * A connection is checked once: a launch that expires an hour later leaves
 * the socket connected unless `disconnectOnExpiry` is set. Either way, give
 * `socket.io-client` its `auth` as a function: it is called on every
 * connection and reconnection, so a reconnect sends a fresh credential (the
 * session token the server last sent, or the launch params).
 *
 * Type `socket.data` with {@link VkSocketData}.
 *
 * @example
 * ```ts
 * // Server
 * import { createServer } from 'node:http';
 * import { Server } from 'socket.io';
 * import { type VkSocketData, vkMiniAppAuth } from 'vk-miniapp-auth/socket.io';
 *
 * interface User {
 *   id: number;
 *   vkUserId: number;
 * }
 *
 * const httpServer = createServer();
 * const io = new Server<{ hello: () => void }, { welcome: (user: User) => void }, {}, VkSocketData<User>>(httpServer);
 * io.use(vkMiniAppAuth({
 *   secret: process.env.VK_APP_SECRET!,
 *   appId: 6736218,
 *   resolveUser: (params): User => ({ id: params.vk_user_id, vkUserId: params.vk_user_id }),
 *   disconnectOnExpiry: true,
 * }));
 * io.on('connection', (socket) => {
 *   socket.emit('welcome', socket.data.vk.user);
 * });
 * httpServer.listen(3000);
 *
 * // Client (the mini app)
 * import { io } from 'socket.io-client';
 *
 * const socket = io('https://api.example.com', {
 *   auth: (send) => send({ token: location.search.slice(1) }), // called on every (re)connection
 * });
 * socket.on('connect_error', (err) => console.warn(err.message, (err as Error & { data?: { code: string } }).data?.code));
 * socket.on('disconnect', (reason) => {
 *   if (reason === 'io server disconnect') socket.connect(); // the credential expired: connect with a fresh one
 * });
 *
 * // VK, OK and MAX launches (MAX's app sends window.WebApp.initData as its token):
 * // socket.data.vk is then VkOrMaxContext, declared with VkSocketData's third argument.
 * const anyPlatform = new Server<{}, {}, {}, VkSocketData<{ key: string }, false, true>>(httpServer);
 * anyPlatform.use(vkMiniAppAuth({
 *   secret: process.env.VK_APP_SECRET!,
 *   max: { botToken: process.env.MAX_BOT_TOKEN! },
 *   resolveUser: (_params, _socket, { platform, userId }) => ({ key: `${platform}:${userId}` }),
 * }));
 * ```
 */
export function vkMiniAppAuth<User = undefined, Optional extends boolean = false>(
  options: SocketIoVkMiniAppAuthOptions<User> & { optional?: Optional },
): VkSocketMiddleware<User, Optional>;
// With `max` (set, or possibly undefined): after the overload without it, which takes every call that has none.
export function vkMiniAppAuth<User = undefined, Optional extends boolean = false>(
  options: SocketIoVkMiniAppAuthOptions<User, true> & { optional?: Optional },
): VkSocketMiddleware<User, Optional, true>;
export function vkMiniAppAuth<User = undefined, Optional extends boolean = false>(
  options: SocketIoVkMiniAppAuthOptions<User, boolean> & { optional?: Optional },
): VkSocketMiddleware<User, Optional, boolean> {
  const authenticate = createAuthenticateConnection(options, credentialOfHandshake);
  const { disconnectOnExpiry = false } = options;
  if (typeof disconnectOnExpiry !== 'boolean') {
    throw new TypeError('vk-miniapp-auth: options.disconnectOnExpiry must be a boolean.');
  }
  const expiry = disconnectOnExpiry ? createExpiryWatch(readNow(options.now)) : undefined;

  const middleware = (socket: Socket, next: (err?: ExtendedError) => void): void => {
    authenticate(socket).then(
      (authentication) => {
        socket.data.vk = authentication === null ? null : authentication.vk;
        if (authentication?.expiresAt !== undefined) expiry?.watch(socket, authentication.expiresAt);
        next();
      },
      (error: unknown) => next(connectError(error)),
    );
  };
  return middleware as VkSocketMiddleware<User, Optional, boolean>;
}

/** The default credential: `auth.token`, else the `Authorization` header of the handshake. */
function credentialOfHandshake(socket: Socket): LaunchParamsInput {
  const token: unknown = socket.handshake.auth?.token;
  // Whatever the client put there is the credential: a string, or a value the verifier refuses.
  if (token !== undefined && token !== null && token !== '') return token as LaunchParamsInput;
  return socket.handshake.headers.authorization;
}

/**
 * The error `next` gets. Socket.IO sends the client its `message` and `data`
 * only; the rest (the cause) stays on the server.
 */
function connectError(error: unknown): ExtendedError {
  const refusal = refusalOf(error);
  if (refusal !== undefined) {
    const data: VkConnectErrorData = { code: refusal.code };
    return Object.assign(new Error(refusal.message, { cause: refusal }), { data });
  }
  // Socket.IO has no server-side channel for a middleware's failure, and the client must not
  // see it (a database error can name hosts, tables, users): it is logged here, as the other
  // adapters' frameworks log a 500. A missing secret was already reported, once, when first met.
  if (!(error instanceof MissingOptionError)) {
    console.error('vk-miniapp-auth: a Socket.IO handshake failed with a server error:', error);
  }
  const data: VkConnectErrorData = { code: 'SERVER_ERROR' };
  return Object.assign(new Error('Internal server error', { cause: error }), { data });
}
