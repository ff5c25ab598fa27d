import { fail } from '../errors.js';
import { MAX_INPUT_LENGTH } from '../launch-params/limits.js';
import { type KeyRefusals, PairCollector, printable } from '../launch-params/pairs.js';
import { decodeFormComponent } from '../launch-params/query.js';

/**
 * What MAX init data travel in, as text:
 *
 * - the init data themselves, `window.WebApp.initData` (the `WebAppData`
 *   value of the launch URL, decoded once): `auth_date=…&query_id=…&user=…&hash=…`;
 * - the same URL-encoded once more, as `WebAppData` stands in the URL
 *   (`auth_date%3D…%26hash%3D…`);
 * - the launch URL, or its fragment (`location.hash`, with or without `#`):
 *   `https://app.example/#WebAppData=…&WebAppPlatform=web&WebAppVersion=…`,
 *   of which only `WebAppData` is read (Telegram's `tgWebAppData` is not MAX's);
 * - any of these after an `Authorization` scheme: `tma`, `max` or `Bearer`.
 *
 * `null`, `undefined` and `''` (a header that was not sent) are refused as
 * `MISSING_CREDENTIALS`; anything over {@link MAX_INPUT_LENGTH} characters as
 * `TOO_LARGE`.
 *
 * @example
 * ```ts
 * const inputs: MaxInitDataInput[] = [
 *   window.WebApp.initData,
 *   `tma ${window.WebApp.initData}`,
 *   location.href, // https://app.example/#WebAppData=…&WebAppPlatform=web
 *   request.headers.get('authorization'),
 * ];
 * ```
 */
export type MaxInitDataInput = string | null | undefined;

/** How the init data arrived. */
export type MaxInitDataForm = 'init-data' | 'encoded' | 'url' | 'fragment';

/** The init data found in an input, and how. */
export interface MaxCredential {
  readonly form: MaxInitDataForm;
  /** The `Authorization` scheme taken off the front, if any. */
  readonly scheme: 'tma' | 'max' | 'Bearer' | undefined;
  /** The init data: `key=value` pairs joined by `&`, values still URL-encoded. */
  readonly initData: string;
}

const MISSING =
  'No MAX init data were sent; send window.WebApp.initData, for instance as "Authorization: tma <initData>".';

/**
 * Finds the init data in any accepted input, or throws `VkAuthError`. The
 * forms are told apart in this order, each unambiguous once the ones before
 * it are ruled out:
 *
 * 1. a leading `tma`, `max` or `Bearer` scheme (any case, then a space or tab) is taken off;
 * 2. text with a `#` is a URL, or a fragment: the `WebAppData` of what follows the first `#`;
 * 3. text with no `=` but an encoded one (`%3D`) is init data (or a URL) encoded once more:
 *    it is decoded once, and read again from step 2;
 * 4. text with a `WebAppData=` pair is a fragment without its `#`: its `WebAppData`;
 * 5. anything else is the init data.
 */
export function readMaxCredential(input: unknown): MaxCredential {
  if (input === null || input === undefined) return fail('MISSING_CREDENTIALS', MISSING);
  if (typeof input !== 'string') {
    return fail(
      'MALFORMED',
      'MAX init data must be a string: window.WebApp.initData, the launch URL, or an Authorization value.',
    );
  }
  if (input.length > MAX_INPUT_LENGTH) {
    fail('TOO_LARGE', `MAX init data over ${MAX_INPUT_LENGTH} characters are refused; real ones are far smaller.`);
  }
  const { scheme, rest: text } = splitScheme(input);
  if (text === '') return fail('MISSING_CREDENTIALS', MISSING);

  const { form, initData } = locate(text, false);
  if (initData.indexOf('=') === -1) {
    fail('MALFORMED', 'These are not MAX init data: expected pairs such as "auth_date=…&user=…&hash=…".');
  }
  return { form, scheme, initData };
}

/** Steps 2 to 5 of {@link readMaxCredential}; step 3 only once (`decoded` after it). */
function locate(text: string, decoded: boolean): { form: MaxInitDataForm; initData: string } {
  const hash = text.indexOf('#');
  if (hash !== -1) return { form: hash === 0 ? 'fragment' : 'url', initData: webAppDataOf(text.slice(hash + 1)) };
  if (!decoded && text.indexOf('=') === -1 && /%3d/i.test(text)) {
    const inner = locate(
      decodeFormComponent(
        text,
        'The MAX init data look URL-encoded, but hold a malformed "%" escape; send window.WebApp.initData as MAX gave it.',
      ),
      true,
    );
    // Init data encoded once more; or a whole URL or fragment encoded, which reads as what it encodes.
    return inner.form === 'init-data' ? { form: 'encoded', initData: inner.initData } : inner;
  }
  if (FRAGMENT_PAIR.test(text)) return { form: 'fragment', initData: webAppDataOf(text) };
  return { form: 'init-data', initData: text };
}

/** An Authorization scheme MAX init data may travel under, then a space, a tab or the end. */
const SCHEME = /^(tma|max|bearer)(?=[ \t]|$)/i;

/** Trims the text and takes a `tma`, `max` or `Bearer` scheme (any case) off its front. */
function splitScheme(input: string): { scheme: MaxCredential['scheme']; rest: string } {
  const text = input.trim();
  const match = SCHEME.exec(text);
  if (match === null) return { scheme: undefined, rest: text };
  const word = (match[1] as string).toLowerCase();
  return {
    scheme: word === 'bearer' ? 'Bearer' : (word as 'tma' | 'max'),
    rest: text.slice(match[0].length).trim(),
  };
}

/** `WebAppData=` at the start of the text or after a `&`: a launch fragment. */
const FRAGMENT_PAIR = /(?:^|&)WebAppData=/;

const FRAGMENT_REFUSALS: KeyRefusals = {
  repeated: (key) =>
    fail(
      'DUPLICATE_PARAM',
      `The launch URL's fragment holds "${printable(key)}" more than once; MAX writes each parameter once, so it was tampered with.`,
    ),
  forbidden: (key) => fail('MALFORMED', `The parameter name "${key}" is not allowed in a MAX launch URL.`),
};

/**
 * The `WebAppData` value of a launch fragment, decoded once (as
 * `URLSearchParams` does in MAX's example). Every parameter of the fragment
 * must appear once, as MAX's algorithm asks.
 */
function webAppDataOf(fragment: string): string {
  const collector = new PairCollector(FRAGMENT_REFUSALS);
  for (const segment of fragment.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const key = decodeFragmentComponent(eq === -1 ? segment : segment.slice(0, eq));
    collector.add(key, eq === -1 ? '' : decodeFragmentComponent(segment.slice(eq + 1)));
  }
  const data = collector.pairs.find((pair) => pair.key === 'WebAppData');
  if (data === undefined) {
    return fail(
      'MALFORMED',
      collector.pairs.some((pair) => pair.key === 'tgWebAppData')
        ? 'This is a Telegram launch (tgWebAppData), not a MAX one: verify it as Telegram init data, with that bot.'
        : 'The launch URL has no WebAppData in its fragment; send window.WebApp.initData, or the URL MAX opened the app with.',
    );
  }
  if (data.value === '') return fail('MISSING_CREDENTIALS', MISSING);
  return data.value;
}

function decodeFragmentComponent(raw: string): string {
  return decodeFormComponent(
    raw,
    'The launch URL\'s fragment holds a malformed "%" escape; send the URL exactly as MAX opened the app with it.',
  );
}
