import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { webHmacKey } from '../crypto/web-hmac-key.js';
import { fail } from '../errors.js';
import { splitScheme } from '../launch-params/input.js';
import { toMilliseconds } from '../launch-params/typed.js';
import type { LaunchParams } from '../launch-params/types.js';
import { type CompiledSessionOptions, MAX_SESSION_TOKEN_LENGTH } from './options.js';

// A session token is a JWS (RFC 7515) in compact form, HS256, typed
// `vk-session+jwt` so that no other JWT signed with the same key passes for
// one (RFC 8725, section 3.11). Its claims:
//
//   sub        the VK user id, as a string (JWT's `sub` is a string)
//   aud        the VK app id, as a string
//   iat, exp   when this token was issued and when it expires (Unix seconds)
//   auth_time  when the launch happened: its `vk_ts` in seconds (OpenID
//              Connect's name for "when the user authenticated"); renewals
//              copy it, and `maxLifetime` counts from it
//   vk         the verified launch params: every signed `vk_*` value and `sign`

/** The `typ` header of a session token. */
export const SESSION_TOKEN_TYPE = 'vk-session+jwt';

/** What a verified session token says. */
export interface SessionReading {
  readonly params: LaunchParams;
  /** `iat`, `exp` and `auth_time`, in Unix seconds. */
  readonly issuedAtS: number;
  readonly expiresAtS: number;
  readonly authTimeS: number;
}

/**
 * A token for verified launch params, or `undefined` when the launch is past
 * `maxLifetime` (a session can no longer start or go on). `authTimeS` is the
 * launch's time; a renewal passes the one its token carries.
 */
export async function signSessionToken(
  params: LaunchParams,
  authTimeS: number,
  options: CompiledSessionOptions,
): Promise<string | undefined> {
  const nowS = Math.floor(options.now() / 1000);
  const endS = authTimeS + options.maxLifetimeS;
  if (nowS >= endS) return undefined;
  const { sign, ...signed } = params;
  return new SignJWT({ auth_time: authTimeS, vk: { ...signed, sign } })
    .setProtectedHeader({ alg: 'HS256', typ: SESSION_TOKEN_TYPE })
    .setSubject(String(params.vk_user_id))
    .setAudience(String(params.vk_app_id))
    .setIssuedAt(nowS)
    .setExpirationTime(Math.min(nowS + options.ttlS, endS))
    .sign(await webHmacKey(options.secrets[0] as string));
}

/**
 * When the launch happened, in Unix seconds: its `vk_ts`; `undefined` for a
 * launch without one (accepted with `maxAge: 0`), which gets no session:
 * `maxLifetime` could not be counted from it.
 */
export function launchTimeS(params: LaunchParams): number | undefined {
  return params.vk_ts === undefined ? undefined : Math.floor(toMilliseconds(params.vk_ts) / 1000);
}

/** Checks a token (or `Bearer <token>`) and reads it, or throws `SESSION_INVALID` / `SESSION_EXPIRED`. */
export async function readSessionToken(input: unknown, options: CompiledSessionOptions): Promise<SessionReading> {
  if (input === null || input === undefined || input === '') {
    fail('MISSING_CREDENTIALS', 'No session token was sent.');
  }
  if (typeof input !== 'string') return invalid('a session token is a string');
  if (input.length > MAX_SESSION_TOKEN_LENGTH) return invalid('it is far longer than any session token');
  const token = splitScheme(input).rest;
  const payload = await verifiedPayload(token, options);
  const reading = readClaims(payload);
  if (options.appIds !== undefined && !options.appIds.has(reading.params.vk_app_id)) {
    return invalid(`it was issued for app ${reading.params.vk_app_id}, which this server does not accept`);
  }
  const nowS = options.now() / 1000;
  if (nowS > reading.authTimeS + options.maxLifetimeS + options.clockSkewS) {
    fail(
      'SESSION_EXPIRED',
      'The session has reached its maximum lifetime since the launch; open the app again to start a new one.',
    );
  }
  return reading;
}

/** A renewed token when `reading`'s is past half its life, else `undefined` (also past `maxLifetime`). */
export function renewalOf(reading: SessionReading, options: CompiledSessionOptions): Promise<string | undefined> {
  const nowS = options.now() / 1000;
  const halfway = reading.issuedAtS + (reading.expiresAtS - reading.issuedAtS) / 2;
  if (nowS < halfway) return Promise.resolve(undefined);
  return signSessionToken(reading.params, reading.authTimeS, options);
}

async function verifiedPayload(token: string, options: CompiledSessionOptions): Promise<JWTPayload> {
  const verifyOptions = {
    algorithms: ['HS256'],
    typ: SESSION_TOKEN_TYPE,
    requiredClaims: ['sub', 'aud', 'iat', 'exp'],
    currentDate: new Date(options.now()),
    clockTolerance: options.clockSkewS,
  };
  for (const secret of options.secrets) {
    try {
      return (await jwtVerify(token, await webHmacKey(secret), verifyOptions)).payload;
    } catch (error) {
      // Another key may have signed it (rotation): try the next one.
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      if (error instanceof errors.JWTExpired) {
        fail('SESSION_EXPIRED', 'The session token has expired; send the launch params to get a new one.');
      }
      // Not a JWS, another algorithm or type, a claim missing or malformed: jose's reason, never the token.
      if (error instanceof errors.JOSEError) return invalid(error.message);
      // Anything else (Web Crypto failing, a `now` that is not a clock) is the server's fault: a 500.
      throw error;
    }
  }
  return invalid('its signature matches none of the session keys');
}

/** The claims of a token that verified, checked for the shape this library issues. */
function readClaims(payload: JWTPayload): SessionReading {
  const {
    vk,
    auth_time: authTimeS,
    iat,
    exp,
    sub,
    aud,
  } = payload as JWTPayload & { vk?: unknown; auth_time?: unknown };
  if (vk === null || typeof vk !== 'object' || Array.isArray(vk)) return invalid('it carries no launch params');
  const params = vk as Record<string, unknown>;
  for (const key of Object.keys(params)) {
    const value = params[key];
    const fits =
      (key.startsWith('vk_') || key === 'sign') &&
      (typeof value === 'string' ||
        typeof value === 'number' ||
        typeof value === 'boolean' ||
        (Array.isArray(value) && value.every((item) => typeof item === 'string')));
    if (!fits) return invalid('its launch params are not what this library issues');
  }
  const userId = params.vk_user_id;
  const appId = params.vk_app_id;
  if (!isPositiveId(userId) || !isPositiveId(appId) || typeof params.sign !== 'string') {
    return invalid('its launch params lack the user, the app or the sign');
  }
  if (sub !== String(userId) || aud !== String(appId)) return invalid('its subject or audience is not its launch’s');
  if (!Number.isSafeInteger(authTimeS) || typeof iat !== 'number' || typeof exp !== 'number') {
    return invalid('its times are not numbers');
  }
  return { params: params as unknown as LaunchParams, issuedAtS: iat, expiresAtS: exp, authTimeS: authTimeS as number };
}

function isPositiveId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function invalid(why: string): never {
  return fail('SESSION_INVALID', `The session token is not valid: ${why}. Send the launch params to get a new one.`);
}
