import { backend } from '#crypto';
import { timingSafeEqual } from '../crypto/constant-time.js';
import { fail } from '../errors.js';

// A CreateHash payload that commits to a request's body. VKWebAppCreateHash
// signs whatever payload the front end chooses; with this one the sign vouches
// for exactly one body, and the nonce makes each payload unique, so repeated
// calls get a sign of their own (on Android, the same payload twice returns
// one answer: vk-bridge issue 615) and a replay store can tell them apart.

/** What a body-bound payload says: the body's SHA-256 (hex) and a nonce. */
export interface BodyBinding {
  readonly bodySha256: string;
  readonly nonce: string;
}

/** `body_sha256=<64 lower-case hex digits>;nonce=<16 to 64 base64url characters>`, nothing else. */
const BODY_BOUND_PAYLOAD = /^body_sha256=([0-9a-f]{64});nonce=([A-Za-z0-9_-]{16,64})$/;

/** Reads a body-bound payload, or refuses it as `CREATE_HASH_INVALID`. */
export function readBodyBinding(payload: string): BodyBinding {
  const match = BODY_BOUND_PAYLOAD.exec(payload);
  if (match === null) {
    return fail(
      'CREATE_HASH_INVALID',
      'The CreateHash payload must be body_sha256=<hex SHA-256 of the body>;nonce=<random> for this route; createVkFetch({ createHash }) makes it.',
    );
  }
  return { bodySha256: match[1] as string, nonce: match[2] as string };
}

/** Refuses (`CREATE_HASH_INVALID`) a body that is not the one the payload commits to. */
export async function checkBodyBinding(binding: BodyBinding, body: string | Uint8Array | ArrayBuffer): Promise<void> {
  if (!timingSafeEqual(await sha256Hex(body), binding.bodySha256)) {
    fail('CREATE_HASH_INVALID', 'The request body is not the one the CreateHash sign was made for.');
  }
}

/**
 * The payload to pass to `VKWebAppCreateHash` for a request with this body:
 * `body_sha256=<hex>;nonce=<random>`. The browser helper makes the same
 * (`createVkFetch({ createHash })`); this one is for other clients and tests.
 *
 * @example
 * ```ts
 * import { bodyBoundPayload } from 'vk-miniapp-auth';
 *
 * const body = JSON.stringify({ amount: 100 });
 * const payload = await bodyBoundPayload(body); // 'body_sha256=…;nonce=…'
 * const { sign, ts } = await bridge.send('VKWebAppCreateHash', { payload });
 * await fetch('/api/transfer', {
 *   method: 'POST',
 *   body,
 *   headers: { 'X-VK-Sign': sign, 'X-VK-Sign-Ts': String(ts), 'X-VK-Sign-Payload': payload },
 * });
 * ```
 */
export async function bodyBoundPayload(body: string | Uint8Array | ArrayBuffer = ''): Promise<string> {
  const nonce = new Uint8Array(16);
  crypto.getRandomValues(nonce);
  const nonceText = Array.from(nonce, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `body_sha256=${await sha256Hex(body)};nonce=${nonceText}`;
}

async function sha256Hex(body: string | Uint8Array | ArrayBuffer): Promise<string> {
  const bytes =
    typeof body === 'string'
      ? new TextEncoder().encode(body)
      : body instanceof Uint8Array
        ? body
        : new Uint8Array(body);
  return backend.sha256Hex(bytes);
}
