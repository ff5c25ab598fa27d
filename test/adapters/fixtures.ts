import { SECRET } from '../helpers.js';

/** The user type adapter tests resolve launch params to. */
export interface User {
  id: number;
  name: string;
}

/** A `get_or_create` that needs no database: the user is derived from the VK id. */
export const users = {
  async getOrCreate(vkUserId: number): Promise<User> {
    return { id: vkUserId, name: `user ${vkUserId}` };
  },
};

/**
 * Options every adapter must refuse when it is created, each with what the
 * TypeError has to name. Adapters with an `onError` option take the last one too.
 */
export const BAD_OPTIONS: readonly [unknown, RegExp][] = [
  [undefined, /options are required/],
  [{}, /options\.secret/],
  [{ secret: '' }, /options\.secret/],
  [{ secret: SECRET, appId: 'abc' }, /options\.appId/],
  [{ secret: SECRET, maxAge: -1 }, /options\.maxAge/],
  [{ secret: SECRET, resolveUser: 'users' }, /options\.resolveUser/],
  [{ secret: SECRET, getCredentials: 'x-launch-params' }, /options\.getCredentials/],
  [{ secret: SECRET, optional: 'yes' }, /options\.optional/],
  [{ secret: SECRET, cache: -1 }, /options\.cache/],
  [{ secret: SECRET, onError: 401 }, /options\.onError/],
];
