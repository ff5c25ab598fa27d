// MAX's algorithm written out with node:crypto alone, independent of the library
// (dev.max.ru/docs/webapps/validation): the tests' reference signer.
import { createHmac } from 'node:crypto';

export const BOT_TOKEN = '1234567890:test-bot-token_Токен';

/** `HMAC-SHA256(key = "WebAppData", message = botToken)`, then the hex HMAC of the data-check string. */
export function referenceHash(decoded: readonly (readonly [string, string])[], botToken = BOT_TOKEN): string {
  const checkString = [...decoded]
    .filter(([key]) => key !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
  const secretKey = createHmac('sha256', 'WebAppData').update(botToken).digest();
  return createHmac('sha256', secretKey).update(checkString).digest('hex');
}

/** Init data as MAX writes them: values with encodeURIComponent, then `hash`. */
export function referenceInitData(decoded: readonly (readonly [string, string])[], botToken = BOT_TOKEN): string {
  const query = decoded.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  return `${query}&hash=${referenceHash(decoded, botToken)}`;
}

/** The launch URL MAX opens the app with: the init data URL-encoded once more in the fragment. */
export function launchUrl(initData: string): string {
  return `https://app.example/path?x=1#WebAppData=${encodeURIComponent(initData)}&WebAppPlatform=web&WebAppVersion=26.2.8`;
}

/** A fixed clock for tests: 2026-02-18, a second after MAX's documented example was signed. */
export const DOC_AUTH_DATE = 1771409719;
export const nowAt = (unixSeconds: number) => () => unixSeconds * 1000;
