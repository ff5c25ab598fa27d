/**
 * The browser side of a VK Mini App: read the launch params VK opened the app
 * with and send them to your own back end, and only there, in the
 * `Authorization` header (`Bearer <query>`, as VK recommends).
 *
 * No dependencies and nothing else from this library: under 1.5 kB in your
 * bundle, minified and gzipped. Serve the page with `Referrer-Policy: no-referrer` (or put
 * `<meta name="referrer" content="no-referrer">` in it), or the launch URL,
 * signature included, goes out in the `Referer` of the page's requests.
 *
 * @example
 * ```ts
 * import { createVkFetch } from 'vk-miniapp-auth/client';
 *
 * // At start-up, before a router rewrites the URL.
 * const vkFetch = createVkFetch();
 * const me = await (await vkFetch('/api/me')).json();
 * ```
 *
 * @module vk-miniapp-auth/client
 */

/**
 * What `VKWebAppGetLaunchParams` resolves to: `vk_*` keys and `sign`, values
 * as the bridge gives them (decoded strings and numbers). Other keys are
 * ignored; `null` and `undefined` values are left out.
 *
 * @example
 * ```ts
 * import bridge from '@vkontakte/vk-bridge';
 *
 * const params: BridgeLaunchParams = await bridge.send('VKWebAppGetLaunchParams');
 * ```
 */
export type BridgeLaunchParams = {
  readonly [key: string]: string | number | boolean | readonly string[] | null | undefined;
};

/**
 * Where launch params are read from: the page's `location` (or any `URL`),
 * a URL or query string (`https://app/?vk_…&sign=…`, `?vk_…`, `vk_…`; a
 * `#fragment` is dropped), or the object `VKWebAppGetLaunchParams` resolves to.
 *
 * @example
 * ```ts
 * const sources: LaunchParamsSource[] = [location, 'https://app.example/?vk_user_id=1&sign=…', bridgeParams];
 * ```
 */
export type LaunchParamsSource =
  | string
  | {
      /** The query with its leading `?`, as `location.search` and `URL.search` give it. */
      readonly search: string;
    }
  | BridgeLaunchParams;

/**
 * A `fetch`-compatible function.
 *
 * @example
 * ```ts
 * const vkFetch: VkFetch = createVkFetch();
 * ```
 */
export type VkFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * What `VKWebAppCreateHash` resolves to: the parts {@link VkFetchOptions.createHash} needs.
 *
 * @example
 * ```ts
 * const result: CreateHashResult = await bridge.send('VKWebAppCreateHash', { payload });
 * ```
 */
export interface CreateHashResult {
  /** The sign VK made over the payload, the user, the app and `ts`. */
  readonly sign: string;
  /** When VK signed it, Unix seconds. */
  readonly ts: number | string;
}

/**
 * Options of {@link createVkFetch}.
 *
 * @example
 * ```ts
 * const options: VkFetchOptions = { apiOrigin: 'https://api.example.com' };
 * ```
 */
export interface VkFetchOptions {
  /**
   * The origin(s) of your own API, the only ones that get the header: origins
   * or URLs (only their origin counts). Default: the page's own origin,
   * `location.origin`. Needed outside a browser.
   */
  apiOrigin?: string | URL | readonly (string | URL)[];
  /** Where to read the launch params from, once, now (see {@link LaunchParamsSource}). Default: `location`. */
  launchParams?: LaunchParamsSource;
  /** The `fetch` to wrap. Default: the global `fetch`, looked up on each call. */
  fetch?: VkFetch;
  /**
   * Sign each request with a body (any method but `GET` and `HEAD`) for a
   * route guarded by `requireCreateHash({ bindBody: true })`: called with the
   * payload `body_sha256=<hex>;nonce=<random>` for that request's body, it
   * returns what `VKWebAppCreateHash` resolves to, and the request goes with
   * `X-VK-Sign`, `X-VK-Sign-Ts` and `X-VK-Sign-Payload`. The body must be
   * text or bytes (a string, `URLSearchParams`, a `Blob`, an `ArrayBuffer` or
   * a view); a `FormData` or a stream rejects with a `TypeError`, since the
   * bytes `fetch` would send are not known before.
   *
   * @example
   * ```ts
   * const vkFetch = createVkFetch({ createHash: (payload) => bridge.send('VKWebAppCreateHash', { payload }) });
   * ```
   */
  createHash?: (payload: string) => PromiseLike<CreateHashResult>;
  /**
   * Use the session tokens a back end with sessions on sends in `VK-Session`
   * (see docs/sessions.md): default `true`. Without such a back end, nothing
   * changes.
   */
  sessions?: boolean;
}

/**
 * The launch query to send to your back end, without a leading `?`, or
 * `undefined` when the source carries no `sign` (the app was not opened by
 * VK). A URL or `location` gives its query as it is, byte for byte; bridge
 * params are encoded as VK does (PHP's `urlencode` of each key and value, in
 * the order given, `sign` last), so the back end verifies them.
 *
 * @param source - Default: `globalThis.location`.
 *
 * @example
 * ```ts
 * getLaunchQuery(); // from location: 'vk_access_token_settings=&vk_app_id=6736218&…&sign=…'
 * getLaunchQuery(await bridge.send('VKWebAppGetLaunchParams'));
 * ```
 */
export function getLaunchQuery(source: LaunchParamsSource | undefined = globalThis.location): string | undefined {
  let query = '';
  if (typeof source === 'string') {
    const url = source.split('#')[0] as string;
    query = url.slice(url.indexOf('?') + 1);
  } else if (typeof source?.search === 'string') {
    query = (source.search as string).slice(1);
  } else if (source) {
    const pairs: string[] = [];
    let sign: string | undefined;
    for (const key in source) {
      const value = (source as BridgeLaunchParams)[key];
      if (value == null || (key !== 'sign' && !key.startsWith('vk_'))) continue;
      const text = urlencode(`${typeof value === 'boolean' ? +value : value}`);
      if (key === 'sign') sign = text;
      else pairs.push(`${urlencode(key)}=${text}`);
    }
    if (sign !== undefined) pairs.push(`sign=${sign}`);
    query = pairs.join('&');
  }
  return /(^|&)sign=/.test(query) ? query : undefined;
}

/**
 * The `Authorization` value for your back end, `Bearer <query>`, or
 * `undefined` when there are no launch params (see {@link getLaunchQuery}).
 * Send it to your own API only: {@link createVkFetch} does that for you.
 *
 * @param source - Default: `globalThis.location`.
 *
 * @example
 * ```ts
 * const authorization = getAuthorization();
 * if (authorization) api.defaults.headers.common.Authorization = authorization; // an axios instance for your API
 * ```
 */
export function getAuthorization(source?: LaunchParamsSource): string | undefined {
  const query = getLaunchQuery(source);
  return query === undefined ? undefined : `Bearer ${query}`;
}

/**
 * Wraps `fetch` so that requests to your own API carry the launch params in
 * the `Authorization` header, and no other request does. A request is yours
 * when the URL `fetch` will request has one of the `apiOrigin`s: a
 * `Request`'s own URL, or anything else converted to a string once (that
 * string is what `fetch` gets), a relative one resolved against
 * `document.baseURI` (a `<base href>` counts), else `location.href`. A
 * third-party URL, even one your code builds from user input, never gets the
 * header. The URL is never changed, and an `Authorization` the caller sets is
 * kept. The launch params are read once, here: create the wrapper at
 * start-up, before a router rewrites the URL. Without launch params, requests
 * go out as they are.
 *
 * An API on another origin must allow the header in its CORS answer
 * (`Access-Control-Allow-Headers: Authorization`).
 *
 * @example
 * ```ts
 * import { createVkFetch } from 'vk-miniapp-auth/client';
 *
 * const vkFetch = createVkFetch(); // the page's own origin
 * await vkFetch('/api/me'); // Authorization: Bearer vk_…&sign=…
 * await vkFetch('https://cdn.example.net/x.json'); // no Authorization
 *
 * // An API elsewhere, launch params from the bridge:
 * const apiFetch = createVkFetch({
 *   apiOrigin: 'https://api.example.com',
 *   launchParams: await bridge.send('VKWebAppGetLaunchParams'),
 * });
 * ```
 */
export function createVkFetch(options: VkFetchOptions = {}): VkFetch {
  const authorization = getAuthorization(options.launchParams);
  // The newest session token the API sent (its `iat` is the highest), sent instead of the launch params.
  let session: string | undefined;
  let sessionIssuedAt = -1;
  const page = globalThis.location;
  const origins = ([] as (string | URL | undefined)[]).concat(options.apiOrigin ?? page?.origin).map((origin) => {
    const parsed = origin && new URL(origin, page?.href).origin;
    if (!parsed || parsed === 'null') {
      throw new TypeError(`vk-miniapp-auth: createVkFetch needs apiOrigin as an http(s) origin, not ${origin}.`);
    }
    return parsed;
  });
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  return async (input, init) => {
    // Decide on the URL fetch will use, and give fetch exactly what was checked.
    let url: unknown;
    let headers = init?.headers;
    try {
      // A Request (a subclass, one from another frame): the URL and headers inside it, which
      // fetch uses, not what a getter of the object answers. Anything else throws here.
      url = Reflect.get(Request.prototype, 'url', input);
      headers ??= Reflect.get(Request.prototype, 'headers', input);
    } catch {
      // Anything else is a string to fetch (ToString, which refuses a Symbol as fetch does):
      // convert it once, and send that string.
      input = url = `${input as string}`;
    }
    let origin: string | undefined;
    try {
      // Relative to the document's base URL (a <base href> counts), as fetch resolves it.
      if (typeof url === 'string') origin = new URL(url, globalThis.document?.baseURI ?? page?.href).origin;
    } catch {}
    if (!authorization || !origins.includes(origin as string)) return send(input, init);
    headers = new Headers(headers);
    if (headers.has('authorization')) return send(input, { ...init, headers });
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (options.createHash && method !== 'GET' && method !== 'HEAD' && !headers.has('x-vk-sign')) {
      const payload = `body_sha256=${hex(await crypto.subtle.digest('SHA-256', await bodyBytes(input, init)))};nonce=${hex(crypto.getRandomValues(new Uint8Array(16)))}`;
      const { sign, ts } = await options.createHash(payload);
      headers.set('x-vk-sign', sign);
      headers.set('x-vk-sign-ts', `${ts}`);
      headers.set('x-vk-sign-payload', payload);
    }
    const sentSession = session;
    // A Request's body can be read once: keep a copy for the one retry a refused session may need.
    const retry = sentSession && input instanceof Request ? input.clone() : input;
    headers.set('authorization', sentSession ? `Bearer ${sentSession}` : authorization);
    let response = await send(input, { ...init, headers });
    if (sentSession && (await refusesSession(response)) && !isStream(init?.body)) {
      // The session was refused (expired, a rotated key) before any handler ran: once more with the launch params.
      if (session === sentSession) {
        session = undefined;
        sessionIssuedAt = -1;
      }
      headers.set('authorization', authorization);
      response = await send(retry, { ...init, headers });
    }
    // Only from your API: a redirect elsewhere must not plant a token (an empty url: no redirect was followed).
    const from = response.url && new URL(response.url).origin;
    const issued =
      options.sessions === false || (from && !origins.includes(from)) ? null : response.headers.get('vk-session');
    const issuedAt = issued ? issuedAtOf(issued) : -1;
    if (issued && issuedAt >= sessionIssuedAt) {
      session = issued;
      sessionIssuedAt = issuedAt;
    }
    return response;
  };
}

/** Whether a response is the refusal of a session token (its code, in any adapter's body shape), not a handler's 401. */
async function refusesSession(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  try {
    // `error` (Express, Koa, Hono, Next.js) or `code` (Fastify, NestJS).
    const { error, code } = await response.clone().json();
    return [error, code].some((value) => value === 'SESSION_INVALID' || value === 'SESSION_EXPIRED');
  } catch {
    return false;
  }
}

/** The bytes `fetch` sends for this body (a Request's own when `init` has none), encoded as `fetch` encodes them. */
function bodyBytes(input: unknown, init: RequestInit | undefined): Promise<ArrayBuffer> {
  const body = init?.body !== undefined ? init.body : input instanceof Request ? input.clone() : null;
  if (body instanceof Request) return body.arrayBuffer();
  // A FormData's multipart boundary is chosen by fetch, a stream can be read once: neither can be hashed first.
  if (body instanceof FormData || isStream(body)) {
    return Promise.reject(
      new TypeError('vk-miniapp-auth: a request signed with createHash needs a body of text or bytes.'),
    );
  }
  return new Response(body).arrayBuffer();
}

/** Lower-case hex of bytes. */
function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Whether a request body can be read only once (a stream), so a request with it cannot be sent again. */
function isStream(body: unknown): boolean {
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
}

/** The `iat` of a session token, or 0 when it cannot be read (then it is taken only while no session is held). */
function issuedAtOf(token: string): number {
  try {
    return JSON.parse(atob((token.split('.')[1] as string).replace(/-/g, '+').replace(/_/g, '/'))).iat || 0;
  } catch {
    return 0;
  }
}

/**
 * PHP's `urlencode`: `A-Z a-z 0-9 - _ .` stay, a space is `+`, every other byte is `%XX`.
 * The same rule as the core's `phpUrlencode`, kept apart on purpose: this entry imports nothing.
 */
function urlencode(text: string): string {
  return encodeURIComponent(text).replace(/%20|[!'()*~]/g, (c) =>
    c === '%20' ? '+' : `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
