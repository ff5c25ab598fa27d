import { fail } from '../errors.js';
import { POSITIVE_ID } from '../launch-params/numbers.js';
import { compileOptions, type SecretOption } from '../options.js';
import { type FormField, type PaymentFormInput, readForm } from './form.js';
import type { PaymentNotification } from './notifications.js';
import { matchSig, SIG_SHAPE } from './sig.js';
import { toNotification } from './typed.js';

/** Finds the secrets a notification may be signed with; see {@link compileSecrets}. */
export type SecretsFor = (fields: readonly FormField[]) => readonly string[];

/**
 * Checks the secret option once (a `TypeError` names what is wrong): one key,
 * several (key rotation), or a map from app id to them, picked by the
 * notification's `app_id`.
 */
export function compileSecrets(secret: SecretOption): SecretsFor {
  const { secretsFor } = compileOptions({ secret });
  if (typeof secret === 'string' || Array.isArray(secret)) return () => secretsFor(0);
  return (fields) => {
    const appId = fields.find((field) => field.key === 'app_id')?.value;
    if (appId === undefined || !POSITIVE_ID.test(appId)) {
      return fail('APP_ID_MISSING', 'The notification has no valid app_id, so no secret of the map can be picked.');
    }
    return secretsFor(Number(appId));
  };
}

/**
 * Verifies a VK payment notification and returns it typed, or throws
 * `VkAuthError` (from the root entry).
 *
 * The `sig` must be the MD5 VK computes (docs/protocol.md, "Other data VK signs"): every field but
 * `sig`, sorted by key, written `key=value` with the decoded value and no
 * separator, followed by the Secure key. The comparison takes constant time.
 * Synchronous on every runtime (MD5 needs no Web Crypto).
 *
 * Refusals, by `code`: `SIGN_MISSING` and `SIGN_INVALID` (forged, altered,
 * or the wrong secret: VK's error 10), `MALFORMED`, `DUPLICATE_PARAM` and
 * `TOO_LARGE` (error 11), and with a per-app secret map `APP_ID_MISSING`
 * (11) and `UNKNOWN_APP` (10). A known notification type with a required
 * field missing or not a number is `MALFORMED`, checked after the signature.
 *
 * @param form The form body as VK sent it, or its parsed fields (see {@link PaymentFormInput}).
 * @param secret The app's Secure key ("Защищённый ключ"), several (rotation), or `{ [appId]: key }`.
 *
 * @example
 * ```ts
 * import { verifyPaymentNotification } from 'vk-miniapp-auth/payments';
 *
 * const notification = verifyPaymentNotification(await request.text(), process.env.VK_APP_SECRET!);
 * if (notification.type === 'order_status_change' && notification.status === 'chargeable') {
 *   await deliver(notification.user_id, notification.item);
 * }
 * ```
 */
export function verifyPaymentNotification(form: PaymentFormInput, secret: SecretOption): PaymentNotification {
  return verifyWithSecrets(form, compileSecrets(secret));
}

/** The verification, for a handler that compiled its secrets at start-up. */
export function verifyWithSecrets(form: PaymentFormInput, secretsFor: SecretsFor): PaymentNotification {
  const fields = readForm(form);
  const sig = fields.find((field) => field.key === 'sig')?.value;
  if (sig === undefined || sig === '') {
    fail('SIGN_MISSING', 'The notification carries no sig; pass the whole form body VK sent.');
  }
  if (!SIG_SHAPE.test(sig)) {
    fail('SIGN_INVALID', 'The sig is not 32 lower-case hex digits, so it cannot be the MD5 VK sends.');
  }
  if (!matchSig(fields, sig, secretsFor(fields))) {
    fail(
      'SIGN_INVALID',
      "The sig does not match: the notification was forged or altered, or the secret is not the app's Secure key.",
    );
  }
  return toNotification(fields);
}
