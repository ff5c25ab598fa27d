import { fail } from '../errors.js';
import { type KeyRefusals, type Pair, PairCollector, printable } from '../launch-params/pairs.js';
import { decodeFormComponent } from '../launch-params/query.js';

/**
 * A payment notification as it reaches the server, in any of the forms a
 * framework hands it over:
 *
 * - the raw `application/x-www-form-urlencoded` body, as a string or as bytes
 *   (UTF-8);
 * - a `URLSearchParams` or a `FormData` of it;
 * - a plain object of decoded fields, such as `req.body` after
 *   `express.urlencoded()` (an array value means a repeated key, and is refused).
 *
 * @example
 * ```ts
 * const form: PaymentFormInput = await request.text();
 * const same: PaymentFormInput = new URLSearchParams(form);
 * ```
 */
export type PaymentFormInput =
  | string
  | Uint8Array
  | URLSearchParams
  | FormData
  | Readonly<Record<string, string | number | readonly string[] | undefined>>;

/**
 * The largest notification accepted, in bytes of its form body (32 KiB). VK's
 * notifications are well under 2 KiB; the bound keeps hostile bodies cheap.
 *
 * @example
 * ```ts
 * app.use('/payments', express.urlencoded({ extended: false, limit: MAX_NOTIFICATION_LENGTH }));
 * ```
 */
export const MAX_NOTIFICATION_LENGTH = 32_768;

/** More fields than any notification has (VK sends about fifteen). */
const MAX_FIELDS = 256;

/** One decoded field of a notification, in the order it arrived. */
export type FormField = Pair;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a notification's fields, decoded, refusing what parsers disagree on: a
 * repeated key, an empty key, a key that reaches object prototypes, a value
 * that is not text, bad `%` escapes or bytes that are not UTF-8. Throws
 * `VkAuthError` (`MALFORMED`, `DUPLICATE_PARAM`, `TOO_LARGE`).
 */
export function readForm(input: PaymentFormInput): FormField[] {
  if (typeof input === 'string') return parseFormString(input);
  if (input instanceof Uint8Array) return parseFormString(decodeBody(input));
  if (input instanceof URLSearchParams) return collect(input);
  if (typeof FormData !== 'undefined' && input instanceof FormData) return collect(input);
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) return readObject(input);
  return fail(
    'MALFORMED',
    'A payment notification must be the form body (a string or bytes), a URLSearchParams, a FormData or a plain object of its fields.',
  );
}

/** The UTF-8 text of a form body, refusing one that is too large or not UTF-8. */
export function decodeBody(bytes: Uint8Array): string {
  if (bytes.length > MAX_NOTIFICATION_LENGTH) tooLarge();
  try {
    return decoder.decode(bytes);
  } catch {
    return fail('MALFORMED', 'The notification body is not UTF-8 text; VK sends its notifications in UTF-8.');
  }
}

/** Splits on `&`, each pair on its first `=`, and decodes key and value separately (`+` is a space). */
function parseFormString(body: string): FormField[] {
  if (body.length > MAX_NOTIFICATION_LENGTH) tooLarge();
  const fields = new FieldCollector();
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf('&', start);
    if (end === -1) end = body.length;
    if (end > start) {
      const segment = body.slice(start, end);
      const eq = segment.indexOf('=');
      const key = decodeComponent(eq === -1 ? segment : segment.slice(0, eq));
      const value = eq === -1 ? '' : decodeComponent(segment.slice(eq + 1));
      fields.add(key, value);
    }
    start = end + 1;
  }
  return fields.pairs;
}

const MALFORMED_NOTIFICATION =
  'The notification has a malformed "%" escape or bytes that are not UTF-8; pass the body exactly as VK sent it.';

function decodeComponent(raw: string): string {
  return decodeFormComponent(raw, MALFORMED_NOTIFICATION);
}

function collect(entries: URLSearchParams | FormData): FormField[] {
  const fields = new FieldCollector();
  // forEach: both have it on every runtime, and TypeScript's DOM types without DOM.Iterable.
  entries.forEach((value: FormDataEntryValue, key: string) => {
    if (typeof value !== 'string') fail('MALFORMED', `The field "${printable(key)}" is a file; VK sends only text.`);
    fields.add(key, value);
  });
  return fields.pairs;
}

function readObject(input: object): FormField[] {
  if (Object.getPrototypeOf(input) !== Object.prototype && Object.getPrototypeOf(input) !== null) {
    fail('MALFORMED', 'A payment notification object must be a plain object of its fields.');
  }
  const fields = new FieldCollector();
  for (const key of Object.keys(input)) {
    const value: unknown = (input as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length !== 1) repeated(key);
      fields.add(key, text(key, value[0]));
    } else fields.add(key, text(key, value));
  }
  return fields.pairs;
}

function text(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return fail(
    'MALFORMED',
    `The field "${printable(key)}" is not text; parse the body as a flat form (express.urlencoded({ extended: false })).`,
  );
}

const NOTIFICATION_REFUSALS: KeyRefusals = {
  repeated,
  forbidden: (key) => fail('MALFORMED', `The field name "${key}" is not allowed.`),
};

/** The launch params' collector, in a notification's words, with its bounds on size and count. */
class FieldCollector extends PairCollector {
  private length = 0;

  constructor() {
    super(NOTIFICATION_REFUSALS);
  }

  override add(key: string, value: string): void {
    if (key === '') fail('MALFORMED', 'The notification has a field with an empty name; VK never sends one.');
    super.add(key, value);
    this.length += key.length + value.length + 2;
    if (this.pairs.length > MAX_FIELDS || this.length > MAX_NOTIFICATION_LENGTH) tooLarge();
  }
}

function repeated(key: string): never {
  return fail(
    'DUPLICATE_PARAM',
    `The field "${printable(key)}" appears more than once; VK never repeats a field, so this notification was tampered with.`,
  );
}

function tooLarge(): never {
  return fail(
    'TOO_LARGE',
    `The notification is over ${MAX_NOTIFICATION_LENGTH / 1024} KiB or ${MAX_FIELDS} fields; VK's are far smaller.`,
  );
}
