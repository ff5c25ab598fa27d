/**
 * Every reason a credential can be refused, as a stable string.
 *
 * The codes are part of the public contract: they never change meaning and
 * new ones are only ever added. Match on them, not on `message`.
 *
 * @example
 * ```ts
 * if (VkAuthError.is(err, 'EXPIRED')) askTheClientToRelaunch();
 * ```
 */
export type VkAuthErrorCode =
  | 'MISSING_CREDENTIALS'
  | 'MALFORMED'
  | 'DUPLICATE_PARAM'
  | 'TOO_LARGE'
  | 'SIGN_MISSING'
  | 'SIGN_INVALID'
  | 'EXPIRED'
  | 'TS_MISSING'
  | 'TS_IN_FUTURE'
  | 'APP_ID_MISSING'
  | 'APP_ID_MISMATCH'
  | 'UNKNOWN_APP'
  | 'USER_ID_MISSING'
  | 'USER_REJECTED'
  | 'CREATE_HASH_MISSING'
  | 'CREATE_HASH_INVALID'
  | 'CREATE_HASH_EXPIRED'
  | 'SESSION_INVALID'
  | 'SESSION_EXPIRED'
  | 'CREATE_HASH_REPLAYED'
  | 'GROUP_ROLE_FORBIDDEN';

/**
 * All error codes, for exhaustive checks and documentation.
 *
 * @example
 * ```ts
 * import { VK_AUTH_ERROR_CODES } from 'vk-miniapp-auth';
 * console.log(VK_AUTH_ERROR_CODES.includes('EXPIRED')); // true
 * ```
 */
export const VK_AUTH_ERROR_CODES: readonly VkAuthErrorCode[] = Object.freeze([
  'MISSING_CREDENTIALS',
  'MALFORMED',
  'DUPLICATE_PARAM',
  'TOO_LARGE',
  'SIGN_MISSING',
  'SIGN_INVALID',
  'EXPIRED',
  'TS_MISSING',
  'TS_IN_FUTURE',
  'APP_ID_MISSING',
  'APP_ID_MISMATCH',
  'UNKNOWN_APP',
  'USER_ID_MISSING',
  'USER_REJECTED',
  'CREATE_HASH_MISSING',
  'CREATE_HASH_INVALID',
  'CREATE_HASH_EXPIRED',
  'SESSION_INVALID',
  'SESSION_EXPIRED',
  'CREATE_HASH_REPLAYED',
  'GROUP_ROLE_FORBIDDEN',
]);

/**
 * The HTTP status a refusal with this code is answered with: 403 for
 * `GROUP_ROLE_FORBIDDEN` (the user is known, but may not do this), 401 for
 * every other code (the credential itself is missing or refused).
 *
 * @example
 * ```ts
 * statusOf('EXPIRED'); // 401
 * statusOf('GROUP_ROLE_FORBIDDEN'); // 403
 * ```
 */
export function statusOf(code: VkAuthErrorCode): 401 | 403 {
  return code === 'GROUP_ROLE_FORBIDDEN' ? 403 : 401;
}

/**
 * The one error type the library throws for a credential it refuses.
 *
 * `code` is stable (see {@link VkAuthErrorCode}); `status` is the HTTP status
 * an adapter answers with (401 for every credential problem); `message` says
 * what to do about it and never contains the secret.
 *
 * @example
 * ```ts
 * try {
 *   const params = await verifyLaunchParams(req.headers.authorization, { secret });
 * } catch (err) {
 *   if (VkAuthError.is(err)) return res.status(err.status).json({ error: err.code });
 *   throw err;
 * }
 * ```
 */
export class VkAuthError extends Error {
  /** The stable reason, for programs. */
  readonly code: VkAuthErrorCode;
  /** The HTTP status to answer with: 401 for every credential problem, 403 for a role (see {@link statusOf}). */
  readonly status: number;

  constructor(code: VkAuthErrorCode, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VkAuthError';
    this.code = code;
    this.status = options?.status ?? statusOf(code);
  }

  /**
   * Whether `value` is a `VkAuthError`, optionally with the given code.
   * Works across duplicate copies of the package (ESM and CJS side by side),
   * where `instanceof` would not.
   *
   * @example
   * ```ts
   * if (VkAuthError.is(err, 'SIGN_INVALID')) log.warn('forged or mis-encoded launch params');
   * ```
   */
  static is(value: unknown, code?: VkAuthErrorCode): value is VkAuthError {
    if (!(value instanceof Error) || value.name !== 'VkAuthError') return false;
    const actual = (value as { code?: unknown }).code;
    if (typeof actual !== 'string') return false;
    return code === undefined || actual === code;
  }
}

/** Shorthand used across the library to keep throw sites to one line. */
export function fail(code: VkAuthErrorCode, message: string): never {
  throw new VkAuthError(code, message);
}
