import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
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

/**
 * The refusal the guards throw for a refusal whose status is 403 (the code
 * `GROUP_ROLE_FORBIDDEN`: the launch is valid, but its viewer may not do
 * this): Nest's `ForbiddenException` (so `@Catch(ForbiddenException)`
 * filters see it) with the stable `code` in its body,
 * `{ statusCode: 403, error: 'Forbidden', message, code }`, and the
 * `VkAuthError` as `cause`.
 *
 * @example
 * ```ts
 * @Catch(VkUnauthorizedException, VkForbiddenException)
 * export class VkRefusalFilter implements ExceptionFilter {
 *   catch(exception: VkUnauthorizedException | VkForbiddenException, host: ArgumentsHost) {
 *     // exception.code: 'EXPIRED', 'GROUP_ROLE_FORBIDDEN', …
 *   }
 * }
 * ```
 */
export class VkForbiddenException extends ForbiddenException {
  /** The stable reason; see `VkAuthErrorCode`. */
  readonly code: VkAuthErrorCode;

  constructor(error: VkAuthError) {
    super({ statusCode: 403, error: 'Forbidden', message: error.message, code: error.code }, { cause: error });
    this.code = error.code;
  }
}
