import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { fail } from '../../errors.js';
import type { LaunchParamsInput } from '../../launch-params/input.js';
import { createAuthenticateConnection } from '../common/connection.js';
import type { AdapterContext } from '../common/context.js';
import type { VkMiniAppAuthOptions } from '../common/options.js';
import { errorBody, refusalOf, wwwAuthenticate } from '../common/refusal.js';

/**
 * Options of {@link createUpgradeAuth}: {@link VkMiniAppAuthOptions}, with
 * Node's `IncomingMessage` (the upgrade request) as the request.
 *
 * @example
 * ```ts
 * const options: UpgradeAuthOptions<User> = {
 *   secret: process.env.VK_APP_SECRET!,
 *   resolveUser: (params, request) => users.getOrCreate(params.vk_user_id),
 *   // A session token offered as a subprotocol, out of the URL: new WebSocket(url, ['vk-session', token])
 *   getCredentials: (request) => {
 *     const offered = request.headers['sec-websocket-protocol']?.split(',').map((name) => name.trim()) ?? [];
 *     return offered[0] === 'vk-session' ? offered[1] : undefined;
 *   },
 *   session: { secret: process.env.VK_SESSION_SECRET! },
 * };
 * ```
 */
export type UpgradeAuthOptions<User = undefined, Max extends boolean = false> = VkMiniAppAuthOptions<
  IncomingMessage,
  User,
  Max
>;

/**
 * What {@link createUpgradeAuth} resolves to for an upgrade it lets in: the
 * `vk` of every adapter (`platform`, `userId`, `params`, `user`, and
 * `session` when a session token was issued or renewed; with `max`, `Max` is
 * `true` and it may be a MAX launch), plus `expiresAt`, when the credential
 * stops being accepted, for you to close the connection then.
 *
 * @example
 * ```ts
 * wss.on('connection', (ws: WebSocket, request: IncomingMessage, vk: VkUpgradeContext<User>) => {
 *   ws.send(JSON.stringify({ hello: vk.user.name, until: vk.expiresAt }));
 * });
 * ```
 */
export type VkUpgradeContext<User = undefined, Max extends boolean = false> = AdapterContext<User, Max> & {
  /**
   * When the credential the connection was opened with would be refused, in
   * milliseconds since the epoch (compare with `Date.now()`): launch params
   * once `vk_ts` is `maxAge` + `clockSkew` seconds old, a session token at
   * its `exp` plus the session's `clockSkew`, MAX init data once `auth_date`
   * is the `max` option's `maxAge` + `clockSkew` seconds old. `undefined`
   * when it never expires (`maxAge: 0`). A connection is checked once, when
   * it opens: close it at this time, or it outlives its credential.
   */
  readonly expiresAt: number | undefined;
};

/**
 * The check {@link createUpgradeAuth} returns. It resolves to the context of
 * an upgrade it lets in, or to `null` for one without any credential when
 * `optional: true`; it rejects with a `VkAuthError` for a refusal, or with
 * the error itself for a server error (`resolveUser` throwing). Hand a
 * rejection to {@link refuseUpgrade}.
 *
 * @example
 * ```ts
 * const authenticate: UpgradeAuth<User> = createUpgradeAuth({ secret, resolveUser });
 * const vk = await authenticate(request); // VkUpgradeContext<User>
 * ```
 */
export type UpgradeAuth<User = undefined, Optional extends boolean = false, Max extends boolean = false> = (
  request: IncomingMessage,
) => Promise<Optional extends false ? VkUpgradeContext<User, Max> : VkUpgradeContext<User, Max> | null>;

/**
 * Verifies the credential of an HTTP upgrade request (WebSocket with `ws`, or
 * anything else served from a Node server's `upgrade` event), before the
 * connection is accepted. Options are checked here, at once: a `TypeError`
 * names a bad one.
 *
 * The credential is read from the `Authorization` header (launch params,
 * `Bearer <launch params>`, or a session token), else from the `token`
 * parameter of the request URL (`wss://…/ws?token=…`). A browser cannot set
 * headers on a WebSocket, so it has to use the URL, and URLs get logged:
 * by proxies, load balancers, access logs, error trackers. Launch params
 * there are good for an hour (`maxAge`) to whoever reads the log; prefer a
 * session token (`session` option), short-lived, which the mini app gets
 * from an ordinary HTTP request first. Encode the value with
 * `encodeURIComponent`: a raw launch query would be cut at its first `&`.
 *
 * A connection is checked once. The context's `expiresAt` says when its
 * credential expires: close the connection then (the example does), and let
 * the client reconnect with a fresh credential.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { WebSocketServer } from 'ws';
 * import { createUpgradeAuth, refuseUpgrade } from 'vk-miniapp-auth/ws';
 *
 * const authenticate = createUpgradeAuth({
 *   secret: process.env.VK_APP_SECRET!,
 *   appId: 6736218,
 *   resolveUser: (params) => ({ id: params.vk_user_id }),
 * });
 * const server = createServer();
 * const wss = new WebSocketServer({ noServer: true });
 *
 * server.on('upgrade', (request, socket, head) => {
 *   socket.on('error', () => socket.destroy()); // a client gone during the check
 *   authenticate(request).then(
 *     (vk) =>
 *       wss.handleUpgrade(request, socket, head, (ws) => {
 *         // The credential expires: close, so that the client reconnects with a fresh one.
 *         const expiry = vk.expiresAt === undefined ? undefined
 *           : setTimeout(() => ws.close(4001, 'Credential expired'), Math.min(vk.expiresAt - Date.now(), 2 ** 31 - 1));
 *         ws.on('close', () => clearTimeout(expiry));
 *         ws.on('message', () => ws.send(`hello, ${vk.user.id}`));
 *       }),
 *     (error) => refuseUpgrade(socket, error),
 *   );
 * });
 * server.listen(3000);
 *
 * // In the mini app:
 * // new WebSocket(`wss://api.example.com/?token=${encodeURIComponent(sessionToken)}`);
 *
 * // VK, OK and MAX launches (MAX's app sends `tma <initData>` or the init data as `token`):
 * const anyPlatform = createUpgradeAuth({
 *   secret: process.env.VK_APP_SECRET!,
 *   max: { botToken: process.env.MAX_BOT_TOKEN! },
 *   resolveUser: (_params, _request, { platform, userId }) => ({ platform, id: userId }),
 * });
 * ```
 */
export function createUpgradeAuth<User = undefined, Optional extends boolean = false>(
  options: UpgradeAuthOptions<User> & { optional?: Optional },
): UpgradeAuth<User, Optional>;
// With `max` (set, or possibly undefined): after the overload without it, which takes every call that has none.
export function createUpgradeAuth<User = undefined, Optional extends boolean = false>(
  options: UpgradeAuthOptions<User, true> & { optional?: Optional },
): UpgradeAuth<User, Optional, true>;
export function createUpgradeAuth<User = undefined, Optional extends boolean = false>(
  options: UpgradeAuthOptions<User, boolean> & { optional?: Optional },
): UpgradeAuth<User, Optional, boolean> {
  const authenticate = createAuthenticateConnection(options, credentialOfUpgrade);
  return (async (request: IncomingMessage) => {
    const authentication = await authenticate(request);
    if (authentication === null) return null;
    const context: VkUpgradeContext<User, boolean> = { ...authentication.vk, expiresAt: authentication.expiresAt };
    return context;
  }) as UpgradeAuth<User, Optional, boolean>;
}

/** The default credential: the `Authorization` header, else the URL's `token` parameter. */
function credentialOfUpgrade(request: IncomingMessage): LaunchParamsInput {
  const header = request.headers.authorization;
  if (header !== undefined && header !== '') return header;
  const url = request.url ?? '';
  const start = url.indexOf('?');
  if (start === -1) return undefined;
  const end = url.indexOf('#', start);
  const tokens = new URLSearchParams(url.slice(start + 1, end === -1 ? undefined : end)).getAll('token');
  // Two tokens leave it to whoever reads the URL which one counts (a proxy, a log, this check):
  // refused, as the verifier refuses a repeated launch param.
  if (tokens.length > 1) fail('DUPLICATE_PARAM', 'The URL has more than one token parameter; send one.');
  return tokens[0];
}

/**
 * Answers a refused upgrade and closes the connection: a complete HTTP/1.1
 * response written to the socket, which is then destroyed. For a refusal
 * (a `VkAuthError`), the 401 of every adapter: `WWW-Authenticate` and the
 * JSON body `{"error":"<CODE>","message":"…"}`. For anything else, a bare
 * 500 that says nothing of the error: log it yourself first if you want it
 * (this function logs nothing). A WebSocket client sees the refusal as a
 * failed handshake (`ws`: the `unexpected-response` event, with the status
 * and the body; a browser: `error` then `close`, without either).
 *
 * The socket's errors are ignored from here on: a client that is gone
 * while the answer is written must not crash the server.
 *
 * @example
 * ```ts
 * server.on('upgrade', (request, socket, head) => {
 *   authenticate(request).then(
 *     (vk) => wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request, vk)),
 *     (error) => {
 *       if (!VkAuthError.is(error)) console.error(error); // a server error: yours to log
 *       refuseUpgrade(socket, error);
 *     },
 *   );
 * });
 * ```
 */
export function refuseUpgrade(socket: Duplex, error: unknown): void {
  socket.on('error', ignore);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const refusal = refusalOf(error);
  const status = refusal === undefined ? 500 : refusal.status;
  const body = refusal === undefined ? '' : JSON.stringify(errorBody(refusal));
  const headers = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Connection: close',
    ...(refusal === undefined
      ? []
      : ['Content-Type: application/json; charset=utf-8', `WWW-Authenticate: ${wwwAuthenticate(refusal)}`]),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  // Destroyed once written, as `ws` does for the handshakes it refuses itself.
  socket.once('finish', () => socket.destroy());
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}

function ignore(): void {}
