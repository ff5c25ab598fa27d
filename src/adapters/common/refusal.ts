import { statusOf, VK_AUTH_ERROR_CODES, VkAuthError } from '../../errors.js';

/**
 * The `WWW-Authenticate` value a refusal is answered with (RFC 6750, section
 * 3.1): `error="invalid_token"` when credentials were sent and refused; no
 * error code at all when none were sent; `error="insufficient_scope"` for a
 * valid credential that may not do this (the 403 of `GROUP_ROLE_FORBIDDEN`).
 *
 * @example
 * ```ts
 * res.set('WWW-Authenticate', wwwAuthenticate(error));
 * ```
 */
export function wwwAuthenticate(error: VkAuthError): string {
  if (error.code === 'MISSING_CREDENTIALS') return 'Bearer realm="vk-miniapp"';
  if (error.code === 'GROUP_ROLE_FORBIDDEN') return 'Bearer realm="vk-miniapp", error="insufficient_scope"';
  return 'Bearer realm="vk-miniapp", error="invalid_token"';
}

/**
 * The refusal an error stands for, or `undefined` when it is a server error.
 * A refusal is a `VkAuthError` with one of the library's codes, whoever threw
 * it: the library, or a `resolveUser` refusing on purpose
 * (`throw new VkAuthError('USER_REJECTED', 'Banned.')`). Its status comes from
 * its code (401, or 403 for `GROUP_ROLE_FORBIDDEN`: see `statusOf`), never from the object, so something merely shaped like a
 * `VkAuthError` cannot turn into a 200. Anything else is the framework's 500.
 *
 * @example
 * ```ts
 * const refusal = refusalOf(error);
 * if (refusal === undefined) throw error; // a server error
 * ```
 */
export function refusalOf(error: unknown): VkAuthError | undefined {
  if (!VkAuthError.is(error) || !REFUSAL_CODES.has(error.code)) return undefined;
  if (error instanceof VkAuthError && error.status === statusOf(error.code)) return error;
  // Normalised; what was thrown stays reachable as the cause.
  return new VkAuthError(error.code, error.message, { cause: error });
}

const REFUSAL_CODES: ReadonlySet<string> = new Set(VK_AUTH_ERROR_CODES);

/**
 * The JSON body of a refusal: the stable code and a message saying what to do.
 *
 * @example
 * ```ts
 * res.status(401).json(errorBody(error)); // {"error":"EXPIRED","message":"…"}
 * ```
 */
export function errorBody(error: VkAuthError): { error: string; message: string } {
  return { error: error.code, message: error.message };
}

/**
 * A ready `Response` for a refusal, for Web-standard frameworks (Hono, Next.js, Workers).
 *
 * @example
 * ```ts
 * const refusal = refusalOf(error);
 * if (refusal) return errorResponse(refusal);
 * ```
 */
export function errorResponse(error: VkAuthError): Response {
  return new Response(JSON.stringify(errorBody(error)), {
    status: error.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': wwwAuthenticate(error) },
  });
}

/**
 * An adapter's `onError` option, checked at start-up: a function, or
 * `undefined` where it was not given.
 */
export function readOnError<Handler>(onError: Handler): Handler {
  if (onError !== undefined && typeof onError !== 'function') {
    throw new TypeError('vk-miniapp-auth: options.onError must be a function.');
  }
  return onError;
}
