import { checkBodyBinding, readBodyBinding } from '../../bridge/body-binding.js';
import { compileCreateHashOptions, type VerifiedCreateHash, verifyCreateHashWith } from '../../bridge/create-hash.js';
import { readOptions } from '../../bridge/ids.js';
import { VkAuthError } from '../../errors.js';
import { toMilliseconds } from '../../launch-params/typed.js';
import { compileWhenConfigured } from '../../missing-option.js';
import type { CompiledOptions, VerifyOptions } from '../../options.js';
import type { ReplayStore } from '../../replay/store.js';
import type { VkOrMaxContext } from './context.js';

/** Where {@link RequireCreateHashOptions} reads `sign` by default. */
export const CREATE_HASH_SIGN_HEADER = 'x-vk-sign';
/** Where {@link RequireCreateHashOptions} reads `ts` by default. */
export const CREATE_HASH_TS_HEADER = 'x-vk-sign-ts';
/** Where {@link RequireCreateHashOptions} reads `payload` by default with `bindBody`. */
export const CREATE_HASH_PAYLOAD_HEADER = 'x-vk-sign-payload';

/**
 * A request body as the bytes that were sent: a string (UTF-8), a `Buffer` or
 * any `Uint8Array`, an `ArrayBuffer`.
 *
 * @example
 * ```ts
 * const body: RawBody = req.rawBody; // kept by express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })
 * ```
 */
export type RawBody = string | Uint8Array | ArrayBuffer;

/**
 * Reads one field of the CreateHash data from a request: a header, the body,
 * a query parameter. May be async (a body to parse). `null` or `undefined`
 * means the request does not carry it (`CREATE_HASH_MISSING`), and so does
 * `''` for `sign` and `ts`; an empty payload is a payload (VK signs it).
 *
 * @example
 * ```ts
 * const payload: CreateHashSource<Request, string> = (req) => req.body?.requestId;
 * ```
 */
export type CreateHashSource<Req, Value> = (
  request: Req,
) => Value | null | undefined | Promise<Value | null | undefined>;

/**
 * Options of every adapter's `requireCreateHash`: a route guard, placed after
 * `vkMiniAppAuth`, that also requires a valid `VKWebAppCreateHash` sign made
 * for the user and app of the verified launch params. `secret`, `maxAge`
 * (default 3600 s, `0` turns the age check off), `clockSkew` and `now` work
 * as in {@link VerifyOptions}.
 *
 * @example
 * ```ts
 * const options: RequireCreateHashOptions<Request> = {
 *   secret: process.env.VK_APP_SECRET!,
 *   payload: (req) => req.body?.requestId, // or a header: (req) => req.get('x-vk-sign-payload')
 *   maxAge: 300,
 * };
 * ```
 */
export interface RequireCreateHashOptions<Req> extends Omit<VerifyOptions, 'appId'> {
  /**
   * The payload VK signed for this request, as the front end passed it to
   * `VKWebAppCreateHash`: from the body, or from a header. Make it identify
   * the request (an id, a digest of the body), so that a sign cannot vouch
   * for another one. Required, except with `bindBody`, where it defaults to
   * the `X-VK-Sign-Payload` header.
   */
  payload?: CreateHashSource<Req, string>;
  /**
   * Require the payload to commit to this request's exact body:
   * `body_sha256=<hex SHA-256 of the body>;nonce=<random>` (see
   * docs/bridge.md, "A sign bound to the body"), as `createVkFetch({ createHash })`
   * makes it. A body that differs by one byte is refused (`CREATE_HASH_INVALID`).
   * Default `false`.
   */
  bindBody?: boolean;
  /**
   * The body as it was sent, for `bindBody`. Default: the framework's raw
   * body where it keeps one (see your framework's page: Express, Fastify,
   * Koa and NestJS need it kept; Hono and Next.js read it from the request).
   * `undefined` for a request that has a body is a server error (500) that
   * says how to keep it.
   */
  body?: CreateHashSource<Req, RawBody>;
  /**
   * Accept each sign once: a store shared by every instance of the back end
   * (`createRedisReplayStore`) or one process (`createMemoryReplayStore`),
   * from `vk-miniapp-auth/replay`. A sign used before, within its `maxAge`,
   * is refused with `CREATE_HASH_REPLAYED`; a store that cannot answer is a
   * server error (503), never an accepted replay. Needs a `maxAge` above 0.
   */
  replay?: ReplayStore;
  /** The `sign` VK returned. Default: the `X-VK-Sign` header. */
  sign?: CreateHashSource<Req, string>;
  /** The `ts` VK returned. Default: the `X-VK-Sign-Ts` header. */
  ts?: CreateHashSource<Req, string | number>;
}

/** Checks one request's CreateHash sign against the `vk` an adapter set on it (`undefined`: none ran). */
export type CheckCreateHash<Req> = (
  request: Req,
  vk: VkOrMaxContext<unknown> | null | undefined,
) => Promise<VerifiedCreateHash>;

/**
 * Checks the options once, at start-up (a `TypeError` names a bad one), and
 * returns the request-time check every adapter's `requireCreateHash` shares.
 * `header` reads a header (lower-case name) the framework's way.
 */
export function createCheckCreateHash<Req>(
  options: RequireCreateHashOptions<Req>,
  header: (request: Req, name: string) => string | null | undefined,
  rawBody?: CreateHashSource<Req, RawBody>,
): CheckCreateHash<Req> {
  const checked = readOptions(options, 'at least { secret, payload }');
  // A secret with no value waits for the first request (see compileWhenConfigured).
  const configured = compileWhenConfigured(() => compileCreateHashOptions(checked));
  const { bindBody = false, replay } = options;
  if (typeof bindBody !== 'boolean') throw new TypeError('vk-miniapp-auth: options.bindBody must be a boolean.');
  const {
    payload = bindBody ? (request: Req) => header(request, CREATE_HASH_PAYLOAD_HEADER) : undefined,
    sign = (request: Req) => header(request, CREATE_HASH_SIGN_HEADER),
    ts = (request: Req) => header(request, CREATE_HASH_TS_HEADER),
    body = rawBody,
  } = options;
  if (typeof payload !== 'function') {
    throw new TypeError(
      'vk-miniapp-auth: options.payload must be a function returning the payload VK signed for the request.',
    );
  }
  if (typeof sign !== 'function') throw new TypeError('vk-miniapp-auth: options.sign must be a function.');
  if (typeof ts !== 'function') throw new TypeError('vk-miniapp-auth: options.ts must be a function.');
  if (bindBody && typeof body !== 'function') throw new TypeError('vk-miniapp-auth: options.body must be a function.');
  if (replay !== undefined && typeof (replay as Partial<ReplayStore> | null)?.claim !== 'function') {
    throw new TypeError('vk-miniapp-auth: options.replay must be a replay store (vk-miniapp-auth/replay).');
  }
  if (replay !== undefined && options.maxAge === 0) {
    throw new TypeError(
      'vk-miniapp-auth: options.replay needs a maxAge above 0: a sign that never expires would be remembered forever.',
    );
  }
  const bodyOf = async (request: Req): Promise<RawBody> => {
    const value = await (body as CreateHashSource<Req, RawBody>)(request);
    if (value !== undefined && value !== null) return value;
    // No body at all is the empty body; a body the framework did not keep is the app's to fix.
    const length = header(request, 'content-length');
    // Over HTTP/2 (Node's compatibility API shows its pseudo-headers), a body needs no
    // content-length: only a declared empty one, or a method without a body, is known empty.
    const http2Method = header(request, ':method');
    if (http2Method) {
      if (length === '0' || http2Method === 'GET' || http2Method === 'HEAD') return '';
    } else if (!header(request, 'transfer-encoding') && (length || '0') === '0') {
      return '';
    }
    throw new Error(
      'vk-miniapp-auth: requireCreateHash({ bindBody: true }) needs the raw request body, and this request has one the framework did not keep; see your framework\'s page in the docs ("CreateHash bound to the body").',
    );
  };

  return async (request, vk) => {
    if (vk === undefined) {
      // A wiring mistake, not a bad request: the framework's error handling answers 500.
      throw new Error(
        'vk-miniapp-auth: requireCreateHash found no launch-params check on this route; put it after vkMiniAppAuth.',
      );
    }
    if (vk === null) {
      throw new VkAuthError(
        'MISSING_CREDENTIALS',
        'This route needs launch params, and a CreateHash sign made for their user: send location.search in Authorization.',
      );
    }
    if (vk.platform === 'max') {
      throw new VkAuthError(
        'CREATE_HASH_INVALID',
        'This route needs a CreateHash sign, which VK Bridge makes in VK and OK launches only; this request was let in by MAX init data.',
      );
    }
    const compiled = configured();
    const [payloadValue, signValue, tsValue] = await Promise.all([payload(request), sign(request), ts(request)]);
    const verified = await verifyCreateHashWith(
      { payload: payloadValue, sign: signValue, ts: tsValue },
      vk.params.vk_app_id,
      vk.params.vk_user_id,
      compiled,
    );
    if (bindBody) await checkBodyBinding(readBodyBinding(verified.payload), await bodyOf(request));
    // Last: a sign is spent only once everything else about the request is right.
    if (replay !== undefined) await claimOnce(replay, `${vk.params.vk_app_id}:${signValue}`, verified.ts, compiled);
    return verified;
  };
}

/** Records a sign as used for as long as it stays valid; refuses one used before. */
async function claimOnce(replay: ReplayStore, key: string, ts: number, options: CompiledOptions): Promise<void> {
  const validUntilMs = toMilliseconds(ts) + options.maxAgeMs + options.clockSkewMs;
  const ttlSeconds = Math.max(1, Math.ceil((validUntilMs - options.now()) / 1000));
  if (!(await replay.claim(key, ttlSeconds))) {
    throw new VkAuthError(
      'CREATE_HASH_REPLAYED',
      'This CreateHash sign was used before; call VKWebAppCreateHash again for this request.',
    );
  }
}

/** A Node header value (`string | string[]`) as one string; a repeated header is not a CreateHash field. */
export function singleHeader(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The raw body a Node framework kept, for `bindBody`: `rawBody` (Express's
 * `express.json({ verify })`, `fastify-raw-body`, `koa-bodyparser`, NestJS's
 * `rawBody: true`), else a body that is still text or bytes
 * (`express.text()`, `express.raw()`); `undefined` when none was kept.
 */
export function keptRawBody(request: { rawBody?: unknown; body?: unknown }): RawBody | undefined {
  for (const value of [request.rawBody, request.body]) {
    if (typeof value === 'string' || value instanceof Uint8Array || value instanceof ArrayBuffer) return value;
  }
  return undefined;
}

/**
 * Whether an error says the replay store could not answer (Redis down): a
 * 503, for the adapters whose framework would otherwise answer 500. Checked by
 * name, so a store from another copy of the package counts too.
 */
export function isReplayStoreUnavailable(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplayStoreUnavailableError';
}
