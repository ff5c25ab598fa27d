import { backend } from '#crypto';
import { timingSafeEqual } from '../crypto/constant-time.js';
import { fail } from '../errors.js';
import { MAX_INPUT_LENGTH, SIGN_SHAPE } from '../launch-params/limits.js';
import { compileOptions, type SecretOption } from '../options.js';
import { isWellFormed, readId, readOptions } from './ids.js';

/**
 * Whose contact a sign vouches for: the app, the user (both from the verified
 * launch params, never from the client) and the app's Secure key(s).
 *
 * @example
 * ```ts
 * const options: ContactSignOptions = {
 *   secret: process.env.VK_APP_SECRET!,
 *   appId: params.vk_app_id,
 *   userId: params.vk_user_id,
 * };
 * ```
 */
export interface ContactSignOptions {
  /** The Secure key(s), as in `VerifyOptions`: one, a list (rotation), or a map by app id. */
  secret: SecretOption;
  /** `vk_app_id` of the verified launch params. */
  appId: number | string;
  /** `vk_user_id` of the verified launch params. */
  userId: number | string;
}

/**
 * What `VKWebAppGetPhoneNumber` resolves to on the client.
 *
 * @example
 * ```ts
 * const data: PhoneNumberData = await bridge.send('VKWebAppGetPhoneNumber');
 * ```
 */
export interface PhoneNumberData {
  /** The number, as VK gives it (digits, such as `79991234567`). */
  readonly phone_number: string;
  /** SHA-256 of app id, Secure key, user id, `phone_number` and the number, base64url. */
  readonly sign: string;
}

/**
 * What `VKWebAppGetEmail` resolves to on the client.
 *
 * @example
 * ```ts
 * const data: EmailData = await bridge.send('VKWebAppGetEmail');
 * ```
 */
export interface EmailData {
  /** The address, as VK gives it. */
  readonly email: string;
  /** SHA-256 of app id, Secure key, user id, `email` and the address, base64url. */
  readonly sign: string;
}

/**
 * Checks the sign of what `VKWebAppGetPhoneNumber` returned and resolves to
 * the phone number, or rejects with {@link VkAuthError} (`SIGN_INVALID`,
 * `SIGN_MISSING`, `MALFORMED`, `TOO_LARGE`, `UNKNOWN_APP`). The sign is a
 * plain SHA-256 of app id, Secure key, user id, `"phone_number"` and the
 * number, compared in constant time. It never expires: it proves only that
 * VK gave this number to this user of this app.
 *
 * @example
 * ```ts
 * import { verifyPhoneNumberSign } from 'vk-miniapp-auth';
 *
 * const phone = await verifyPhoneNumberSign(req.body, {
 *   secret: process.env.VK_APP_SECRET!,
 *   appId: req.vk!.params.vk_app_id,
 *   userId: req.vk!.params.vk_user_id,
 * });
 * ```
 */
export function verifyPhoneNumberSign(
  data: Partial<PhoneNumberData> | null | undefined,
  options: ContactSignOptions,
): Promise<string> {
  return verifyContactSign('phone_number', data, options);
}

/**
 * Checks the sign of what `VKWebAppGetEmail` returned and resolves to the
 * address, or rejects with {@link VkAuthError} (`SIGN_INVALID`,
 * `SIGN_MISSING`, `MALFORMED`, `TOO_LARGE`, `UNKNOWN_APP`). The sign is a
 * plain SHA-256 of app id, Secure key, user id, `"email"` and the address,
 * compared in constant time. It never expires.
 *
 * @example
 * ```ts
 * import { verifyEmailSign } from 'vk-miniapp-auth';
 *
 * const email = await verifyEmailSign(
 *   { email: body.email, sign: body.sign },
 *   { secret, appId: params.vk_app_id, userId: params.vk_user_id },
 * );
 * ```
 */
export function verifyEmailSign(
  data: Partial<EmailData> | null | undefined,
  options: ContactSignOptions,
): Promise<string> {
  return verifyContactSign('email', data, options);
}

type ContactField = 'phone_number' | 'email';

async function verifyContactSign(field: ContactField, data: unknown, options: ContactSignOptions): Promise<string> {
  const { secret, appId, userId } = readOptions(options, '{ secret, appId, userId }');
  const app = readId('appId', appId);
  const user = readId('userId', userId);
  const secrets = compileOptions({ secret }).secretsFor(app);
  const { value, sign } = readContact(field, data);
  let matched = false;
  for (const key of secrets) {
    // Every secret is tried, so the time taken does not tell which one matched.
    matched = timingSafeEqual(await backend.sha256Base64Url(`${app}${key}${user}${field}${value}`), sign) || matched;
  }
  if (!matched) {
    fail(
      'SIGN_INVALID',
      `The ${field} sign does not match: check that the secret is the app's Secure key and that appId and userId come from this user's verified launch params.`,
    );
  }
  return value;
}

function readContact(field: ContactField, data: unknown): { value: string; sign: string } {
  if (data === null || typeof data !== 'object') {
    fail('MALFORMED', `Expected the { ${field}, sign } object the VK bridge returned.`);
  }
  const { [field]: value, sign } = data as Record<string, unknown>;
  if (typeof value !== 'string') fail('MALFORMED', `The ${field} is missing or not a string.`);
  if (sign === undefined || sign === null || sign === '') fail('SIGN_MISSING', `The ${field} comes without its sign.`);
  if (typeof sign !== 'string' || !SIGN_SHAPE.test(sign)) {
    fail('SIGN_INVALID', `The ${field} sign is not 43 base64url characters, so it cannot be a VK signature.`);
  }
  if (value.length > MAX_INPUT_LENGTH) fail('TOO_LARGE', `A ${field} over ${MAX_INPUT_LENGTH} characters is refused.`);
  // Hashing would replace a lone surrogate with U+FFFD, so two different values could share a sign.
  if (!isWellFormed(value)) fail('MALFORMED', `The ${field} is not valid Unicode, so VK cannot have signed it.`);
  return { value, sign };
}
