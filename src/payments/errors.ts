/**
 * VK's error codes for answers to payment notifications (docs/protocol.md, "Other data VK signs").
 * Apps may also use their own codes, 100 to 999, with a message.
 *
 * @example
 * ```ts
 * throw new PaymentsError(PAYMENTS_ERROR_CODES.ITEM_UNAVAILABLE, 'Sold out');
 * ```
 */
export const PAYMENTS_ERROR_CODES = Object.freeze({
  /** A general error. */
  GENERAL: 1,
  /** A temporary error (never critical): VK sends the notification again later. */
  TEMPORARY: 2,
  /** The signature does not match (critical). */
  BAD_SIGNATURE: 10,
  /** The notification's fields are wrong: missing, malformed, repeated. */
  BAD_PARAMETERS: 11,
  /** No such item or subscription. */
  NO_SUCH_ITEM: 20,
  /** The item is not available (sold out, withdrawn). */
  ITEM_UNAVAILABLE: 21,
  /** No such user. */
  NO_SUCH_USER: 22,
} as const);

const STANDARD_MESSAGES: Readonly<Record<number, string>> = {
  1: 'The purchase cannot be completed.',
  2: 'Temporary error; please retry.',
  10: 'The signature does not match.',
  11: 'The notification parameters are not valid.',
  20: 'No such item.',
  21: 'This item is not available.',
  22: 'No such user.',
};

/**
 * An error answer for VK, thrown by a payments callback: the handler
 * answers `{"error": {"error_code": code, "error_msg": message, "critical": critical}}`.
 *
 * `code` is one of VK's ({@link PAYMENTS_ERROR_CODES}) or the app's own, 100
 * to 999, which needs a message (VK may show it). `critical` defaults to
 * `true` (VK cancels the order and does not retry), and to `false` for code 2
 * (VK retries later). Any other exception thrown by a callback is answered
 * with code 2, its message never sent.
 *
 * @example
 * ```ts
 * createPaymentsHandler({
 *   secret,
 *   getItem: async (n) => {
 *     if (await bans.has(n.user_id)) throw new PaymentsError(101, 'Purchases are disabled for this account.');
 *     return catalog.get(n.item) ?? null;
 *   },
 *   orderStatusChange: (n) => orders.record(n),
 * });
 * ```
 */
export class PaymentsError extends Error {
  /** The `error_code` VK gets. */
  readonly code: number;
  /** The `critical` flag VK gets: `true` cancels the order, `false` makes VK retry. */
  readonly critical: boolean;

  constructor(code: number, message?: string, options?: { critical?: boolean }) {
    if (!Number.isInteger(code) || !(code in STANDARD_MESSAGES || (code >= 100 && code <= 999))) {
      throw new TypeError(`vk-miniapp-auth: PaymentsError code ${code} is neither one of VK's nor 100 to 999.`);
    }
    const text = message ?? STANDARD_MESSAGES[code];
    if (typeof text !== 'string' || text.trim() === '') {
      throw new TypeError(`vk-miniapp-auth: PaymentsError code ${code} needs a message (VK may show it).`);
    }
    super(text);
    this.name = 'PaymentsError';
    this.code = code;
    this.critical = options?.critical ?? code !== PAYMENTS_ERROR_CODES.TEMPORARY;
  }

  /**
   * Whether `value` is a `PaymentsError`, also across duplicate copies of the
   * package (ESM and CJS side by side), where `instanceof` would not work.
   *
   * @example
   * ```ts
   * if (PaymentsError.is(error)) console.log(error.code, error.critical);
   * ```
   */
  static is(value: unknown): value is PaymentsError {
    if (!(value instanceof Error) || value.name !== 'PaymentsError') return false;
    const { code, critical } = value as { code?: unknown; critical?: unknown };
    return typeof code === 'number' && typeof critical === 'boolean';
  }
}

/** The default `error_msg` of one of VK's codes. */
export function standardMessage(code: number): string {
  return STANDARD_MESSAGES[code] ?? 'Error.';
}
