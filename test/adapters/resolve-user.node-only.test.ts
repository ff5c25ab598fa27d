// What resolveUser's answer means, the same in every adapter: a user lets the
// request through; `null`, `undefined` or `false` refuses it (401
// USER_REJECTED), since `false` is what people write for "deny".
import { describe, expect, expectTypeOf, it } from 'vitest';
import { vkMiniAppAuth as honoAuth, type VkMiddleware } from '../../src/adapters/hono.js';
import { launch, now, SECRET } from '../helpers.js';
import { adapters } from './every-adapter.js';

describe.each([
  ['null', null],
  ['undefined', undefined],
  ['false', false],
])('resolveUser answering %s', (_name, answer) => {
  it('is a 401 USER_REJECTED in every adapter, synchronous or not', async () => {
    const authorization = `Bearer ${await launch()}`;
    for (const resolveUser of [() => answer, async () => answer]) {
      for (const [adapter, send] of await adapters({ secret: SECRET, now, resolveUser } as never)) {
        expect(await send(authorization), adapter).toEqual({ status: 401, code: 'USER_REJECTED' });
      }
    }
  });
});

describe('resolveUser types', () => {
  it('take false as a refusal, and leave it out of the user type', () => {
    interface User {
      id: number;
    }
    const resolveUser = (params: { vk_user_id: number }): User | false =>
      params.vk_user_id > 0 ? { id: params.vk_user_id } : false;
    // The user type inferred from resolveUser is User, not User | false.
    expectTypeOf(honoAuth({ secret: SECRET, resolveUser })).toEqualTypeOf<VkMiddleware<User>>();
  });
});
