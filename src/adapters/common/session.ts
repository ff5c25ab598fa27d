import type { LaunchParams } from '../../launch-params/types.js';
import {
  type CompiledSessionOptions,
  compileSessionOptions,
  MAX_SESSION_TOKEN_LENGTH,
  type SessionOptions,
} from '../../session/options.js';

/** The response header an adapter sends a new or renewed session token in. */
export const SESSION_HEADER = 'VK-Session';

/** What the session step of an adapter does with a request's credential. */
export interface SessionStep {
  /** Verifies a session token: its launch params, and a renewed token when it is past half its life. */
  verify(token: string): Promise<{ params: LaunchParams; renewed: string | undefined }>;
  /** A token for launch params just verified, or `undefined` for a launch past `maxLifetime`. */
  issue(params: LaunchParams): Promise<string | undefined>;
}

/**
 * The session step of an adapter given `session` options; `now` is the
 * adapter's own clock, which drives the session's too unless it has its own.
 * Throws like {@link compileSessionOptions}.
 */
export function createSessionStep(session: SessionOptions, now: (() => number) | undefined): SessionStep {
  const compiled: CompiledSessionOptions = compileSessionOptions(
    now !== undefined && session?.now === undefined ? { ...session, now } : session,
  );
  // Loaded on first use: `jose` is the session's dependency alone, so an app
  // without sessions never loads it.
  const tokens = () => import('../../session/token.js');
  return {
    async verify(token) {
      const { readSessionToken, renewalOf } = await tokens();
      const reading = await readSessionToken(token, compiled);
      return { params: reading.params, renewed: await renewalOf(reading, compiled) };
    },
    async issue(params) {
      const { launchTimeS, signSessionToken } = await tokens();
      const launchedS = launchTimeS(params);
      return launchedS === undefined ? undefined : signSessionToken(params, launchedS, compiled);
    },
  };
}

// Three base64url parts, the first a JSON object's (`{"` is `eyJ`). Launch
// params never look so: a query has `=` and no dot-separated base64url, and
// their base64 forms have no dots at all.
const COMPACT_JWS = /^(?:bearer[ \t]+)?eyJ[\w-]*\.[\w-]+\.[\w-]+$/i;

/** Whether a credential is a session token (`Bearer <token>` or the token alone) rather than launch params. */
export function isSessionToken(credential: unknown): credential is string {
  return (
    typeof credential === 'string' &&
    credential.length <= MAX_SESSION_TOKEN_LENGTH &&
    COMPACT_JWS.test(credential.trim())
  );
}

/**
 * The `Access-Control-Expose-Headers` value that lets a cross-origin front
 * end read `VK-Session`, given the value already set (a CORS middleware's).
 *
 * @example
 * ```ts
 * res.setHeader('Access-Control-Expose-Headers', exposingSessionHeader(res.getHeader('Access-Control-Expose-Headers')));
 * ```
 */
export function exposingSessionHeader(existing: unknown): string {
  const list = Array.isArray(existing) ? existing.join(', ') : typeof existing === 'string' ? existing : '';
  if (list.trim() === '') return SESSION_HEADER;
  const names = list.split(',').map((name) => name.trim().toLowerCase());
  // Not even `*` is enough: for a request with credentials, browsers read it as a header named "*".
  return names.includes('vk-session') ? list : `${list}, ${SESSION_HEADER}`;
}

/**
 * Sends a session token in `VK-Session` and lets a cross-origin front end
 * read it, through a framework's own header getter and setter.
 */
export function sendSessionHeaders(
  token: string,
  getHeader: (name: string) => unknown,
  setHeader: (name: string, value: string) => void,
): void {
  setHeader(SESSION_HEADER, token);
  setHeader('Access-Control-Expose-Headers', exposingSessionHeader(getHeader('Access-Control-Expose-Headers')));
}
