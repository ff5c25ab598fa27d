import { VkAuthError } from './errors.js';
import { checkFreshness } from './expiry.js';
import { readCredential } from './launch-params/input.js';
import { rawPairsOf } from './launch-params/raw-pairs.js';
import { readIdentity, timestampMs, toLaunchParams, toMilliseconds } from './launch-params/typed.js';
import type { LaunchParams } from './launch-params/types.js';
import { type CompiledOptions, compileOptions, type SecretOption } from './options.js';
import { signablePairs } from './sign.js';
import { verifyWithCompiledOptions } from './verify.js';

/** Options of {@link VKMiniAppAuthenticator}, named as in the Python package. */
export interface VKMiniAppAuthenticatorOptions {
  /** Time to live of launch params, in seconds. Default 3600; `0` turns expiry off. */
  ttl?: number;
  /** Tolerated clock difference with VK, in seconds. Default 30. */
  clockSkew?: number;
  /** The current time in milliseconds (for tests). */
  now?: () => number;
}

/**
 * The same surface as the Python package `vk-mini-app-auth`, so its users can
 * port code line by line; the checks are this library's (duplicate keys,
 * encodings, constant-time comparison). New code can call
 * {@link verifyLaunchParams} directly.
 *
 * @example
 * ```ts
 * const authenticator = new VKMiniAppAuthenticator(6736218, process.env.VK_APP_SECRET!, { ttl: 3600 });
 * const params = authenticator.getLaunchParams(token); // like get_launch_params: parsed, not verified
 * if (params === null || !(await authenticator.isSigned(params))) return new Response(null, { status: 401 });
 * ```
 */
export class VKMiniAppAuthenticator {
  readonly #options: CompiledOptions;

  constructor(appId: number, secret: SecretOption, options: VKMiniAppAuthenticatorOptions = {}) {
    this.#options = compileOptions({
      appId,
      secret,
      maxAge: options.ttl,
      clockSkew: options.clockSkew,
      now: options.now,
    });
  }

  /**
   * Parses a token (any accepted form; the Python package's is base64 of the
   * whole launch URL) **without verifying it**. Resolves to `null` when it
   * holds no launch params; throws `VkAuthError` when it cannot be decoded.
   *
   * @example
   * ```ts
   * const params = authenticator.getLaunchParams(request.headers.authorization);
   * ```
   */
  getLaunchParams(token: string): LaunchParams | null {
    const { pairs } = readCredential(token);
    try {
      return toLaunchParams(pairs, readIdentity(pairs));
    } catch (error) {
      if (VkAuthError.is(error) && error.code !== 'MALFORMED') return null;
      throw error;
    }
  }

  /**
   * Parses and verifies a token; `null` when it is refused for any reason.
   *
   * @example
   * ```ts
   * const params = await authenticator.getVerifiedLaunchParams(token);
   * if (params === null) return reply.code(401).send();
   * ```
   */
  async getVerifiedLaunchParams(token: string): Promise<LaunchParams | null> {
    try {
      return await verifyWithCompiledOptions(token, this.#options);
    } catch (error) {
      if (VkAuthError.is(error)) return null;
      throw error;
    }
  }

  /**
   * Whether params belong to this app, are not expired, and carry a valid sign.
   *
   * @example
   * ```ts
   * if (!(await authenticator.isSigned(params))) return new Response(null, { status: 401 });
   * ```
   */
  async isSigned(params: LaunchParams): Promise<boolean> {
    try {
      // Params built by hand have typed values: turn them back into VK's text.
      const input = rawPairsOf(params)
        ? params
        : { ...Object.fromEntries(signablePairs(params).map((pair) => [pair.key, pair.value])), sign: params.sign };
      await verifyWithCompiledOptions(input, this.#options);
      return true;
    } catch (error) {
      if (VkAuthError.is(error) || error instanceof TypeError) return false;
      throw error;
    }
  }

  /**
   * Whether params are older than `ttl` (or carry no `vk_ts` while a `ttl` is set).
   *
   * @example
   * ```ts
   * if (authenticator.isExpired(params)) return askForFreshLaunch();
   * ```
   */
  isExpired(params: LaunchParams): boolean {
    try {
      const pairs = rawPairsOf(params);
      const ts = pairs
        ? timestampMs(pairs)
        : typeof params.vk_ts === 'number'
          ? toMilliseconds(params.vk_ts)
          : undefined;
      checkFreshness(ts, this.#options);
      return false;
    } catch (error) {
      if (VkAuthError.is(error, 'EXPIRED') || VkAuthError.is(error, 'TS_MISSING')) return true;
      if (VkAuthError.is(error)) return false;
      throw error;
    }
  }
}
