import { UnauthorizedException } from '@nestjs/common';
import type { VkAuthError, VkAuthErrorCode } from '../../errors.js';

/**
 * The refusal the guard throws: Nest's `UnauthorizedException` (so
 * `@Catch(UnauthorizedException)` filters see it) with the stable `code` in
 * its body, `{ statusCode: 401, error: 'Unauthorized', message, code }`, and
 * the `VkAuthError` as `cause`.
 *
 * @example
 * ```ts
 * @Catch(VkUnauthorizedException)
 * export class VkRefusalFilter implements ExceptionFilter {
 *   catch(exception: VkUnauthorizedException, host: ArgumentsHost) {
 *     // exception.code: 'EXPIRED', 'SIGN_INVALID', …
 *   }
 * }
 * ```
 */
export class VkUnauthorizedException extends UnauthorizedException {
  /** The stable reason; see `VkAuthErrorCode`. */
  readonly code: VkAuthErrorCode;

  constructor(error: VkAuthError) {
    super({ statusCode: 401, error: 'Unauthorized', message: error.message, code: error.code }, { cause: error });
    this.code = error.code;
  }
}
