// Independent signers for the bridge tests: node:crypto and the rules of
// docs/protocol.md, "Other data VK signs" written out again, so the library is checked against
// something other than itself.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** PHP's urlencode: RFC 3986 escaping, then `+` for a space and `! ' ( ) * ~` escaped too. */
export function phpUrlencode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface CreateHashInput {
  appId: number;
  userId: number;
  payload: string;
  ts: number | string;
}

/** `app_id=…&request_id=…&ts=…&user_id=…`, each value through `encode` (PHP's urlencode by default). */
export function createHashString(input: CreateHashInput, encode: (text: string) => string = phpUrlencode): string {
  return `app_id=${input.appId}&request_id=${encode(input.payload)}&ts=${input.ts}&user_id=${input.userId}`;
}

/** The sign VKWebAppCreateHash returns for these fields. */
export function createHashSign(input: CreateHashInput, secret: string, encode?: (text: string) => string): string {
  return createHmac('sha256', secret).update(createHashString(input, encode)).digest('base64url');
}

/** The `sign` of VKWebAppGetPhoneNumber / VKWebAppGetEmail. */
export function contactSign(
  field: 'phone_number' | 'email',
  value: string,
  { appId, userId, secret }: { appId: number; userId: number; secret: string },
): string {
  return createHash('sha256').update(`${appId}${secret}${userId}${field}${value}`).digest('base64url');
}

export interface CreateHashVector {
  id: string;
  secret: string;
  appId: number;
  userId: number;
  payload: string;
  ts: number;
  sign: string;
  valid: boolean;
  note?: string;
}

export interface ContactSignVector {
  id: string;
  appId: number;
  secret: string;
  userId: number;
  field: 'phone_number' | 'email';
  value: string;
  sign: string;
  note?: string;
}

// The known-answer vectors (test/fixtures/vectors.json), each with its source.
const path = fileURLToPath(new URL('../fixtures/vectors.json', import.meta.url));

export const bridgeVectors: { createHash: CreateHashVector[]; contactSigns: ContactSignVector[] } = JSON.parse(
  readFileSync(path, 'utf8'),
);
