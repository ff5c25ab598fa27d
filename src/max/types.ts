/**
 * The user who opened the mini app, as MAX describes it in `user` (a JSON
 * object). MAX sends `null` for a field it has no value for (its own example
 * has `"username": null`), so the optional fields may be `null` as well as
 * absent. Fields MAX adds later are kept as they came.
 *
 * @example
 * ```ts
 * const user: MaxUser = { id: 67890, first_name: 'Max', last_name: 'User', username: null, language_code: 'ru' };
 * ```
 */
export interface MaxUser {
  /** The MAX user id: a safe integer. */
  id: number;
  /** The first name, as the user set it: any Unicode. */
  first_name: string;
  /** The last name; `null` or absent when there is none. */
  last_name?: string | null;
  /** The MAX username, without `@`; `null` or absent when there is none. */
  username?: string | null;
  /** The language of the user's MAX client, such as `'ru'`. */
  language_code?: string | null;
  /** A URL of the user's avatar. */
  photo_url?: string | null;
  /** Fields MAX sends beyond these, as they came. */
  [field: string]: unknown;
}

/**
 * The chat the mini app was opened from, as MAX describes it in `chat` (a JSON
 * object). Fields MAX adds later are kept as they came.
 *
 * @example
 * ```ts
 * const chat: MaxChat = { id: 12345, type: 'DIALOG' };
 * ```
 */
export interface MaxChat {
  /** The chat id: a safe integer. */
  id: number;
  /** The kind of chat, such as `'DIALOG'` in MAX's documentation. */
  type: string;
  /** Fields MAX sends beyond these, as they came. */
  [field: string]: unknown;
}

/**
 * MAX mini-app init data, read: `user` and `chat` parsed from their JSON,
 * `auth_date` as a `Date`, every other key kept as the string it was. Only
 * {@link verifyMaxInitData} says whether MAX signed it; {@link parseMaxInitData}
 * gives the same object unchecked.
 *
 * @example
 * ```ts
 * const data: MaxInitData = await verifyMaxInitData(initData, { botToken });
 * console.log(data.user?.id, data.auth_date.toISOString(), data.start_param);
 * ```
 */
export interface MaxInitData {
  /** The user who opened the mini app. */
  user?: MaxUser;
  /** The chat it was opened from. */
  chat?: MaxChat;
  /** The session id MAX gives the launch. */
  query_id?: string;
  /** The `startapp` value of the link the mini app was opened by, if any. */
  start_param?: string;
  /** An IP address, as MAX's example shows it. */
  ip?: string;
  /** When MAX signed the data (MAX sends Unix seconds; a value above 10^12 is read as milliseconds). */
  auth_date: Date;
  /** The signature: 64 lower-case hex digits. */
  hash: string;
  /** Keys MAX sends beyond these, as strings. */
  [key: string]: MaxUser | MaxChat | Date | string | undefined;
}
