// What resolveUser's answer means, the same in every adapter: a user lets the
// request through; `null`, `undefined` or `false` refuses it (401
// USER_REJECTED), since `false` is what people write for "deny". What it
// throws: a VkAuthError with one of the library's codes is a refusal with that
// code, its status taken from the code (401), whatever the object says;
// anything else (an unknown code, any other error) is the framework's 500.
// NestJS is held to the same rules in its own suite.
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { vkMiniAppAuth as honoAuth, type VkMiddleware } from '../../src/adapters/hono/index.js';
import { VK_AUTH_ERROR_CODES, VkAuthError } from '../../src/index.js';
import { launch, now, SECRET } from '../helpers.js';
import { adapters, type Send } from './every-adapter.js';
import { CHALLENGE } from './fixtures.js';

describe.each([
  ['null', null],
  ['undefined', undefined],
  ['false', false],
])('resolveUser answering %s', (_name, answer) => {
  it('is a 401 USER_REJECTED in every adapter, synchronous or not', async () => {
    const authorization = `Bearer ${await launch()}`;
    for (const resolveUser of [() => answer, async () => answer]) {
      for (const [adapter, send] of await adapters({ secret: SECRET, now, resolveUser } as never)) {
        expect(await send(authorization), adapter).toEqual({
          status: 401,
          code: 'USER_REJECTED',
          challenge: CHALLENGE,
        });
      }
    }
  });
});

describe('resolveUser throwing', () => {
  // Hono and Koa log the errors they answer 500 with.
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** What every adapter answers when resolveUser throws `error`, synchronously and as a rejection. */
  async function answersTo(error: () => unknown) {
    const authorization = `Bearer ${await launch()}`;
    const throwing = [
      () => {
        throw error();
      },
      async () => Promise.reject(error()),
    ];
    const answers: [string, Awaited<ReturnType<Send>>][] = [];
    for (const resolveUser of throwing) {
      for (const [adapter, send] of await adapters({ secret: SECRET, now, resolveUser } as never)) {
        answers.push([adapter, await send(authorization)]);
      }
    }
    const every = ['express', 'fastify', 'koa', 'hono', 'next'];
    expect(answers.map(([adapter]) => adapter)).toEqual([...every, ...every]);
    return answers;
  }

  it('a VkAuthError with a library code refuses the request with that code, as a 401', async () => {
    for (const [adapter, answer] of await answersTo(() => new VkAuthError('USER_REJECTED', 'Banned.'))) {
      expect(answer, adapter).toEqual({ status: 401, code: 'USER_REJECTED', challenge: CHALLENGE });
    }
  });

  it('takes the status from the code, not from the error: a VkAuthError made with another status is a 401', async () => {
    const made = () => new VkAuthError('USER_REJECTED', 'Banned.', { status: 403 });
    expect(made().status).toBe(403);
    for (const [adapter, answer] of await answersTo(made)) {
      expect(answer, adapter).toEqual({ status: 401, code: 'USER_REJECTED', challenge: CHALLENGE });
    }
  });

  it('an error merely shaped like a VkAuthError, with a library code, is a 401, never a 200', async () => {
    const shapes = [
      () => Object.assign(new Error('x'), { name: 'VkAuthError', code: 'USER_REJECTED' }), // no status
      () => Object.assign(new Error('x'), { name: 'VkAuthError', code: 'USER_REJECTED', status: 200 }),
      () => Object.assign(new Error('x'), { name: 'VkAuthError', code: 'USER_REJECTED', status: '401' }),
    ];
    for (const shape of shapes) {
      expect(VkAuthError.is(shape(), 'USER_REJECTED')).toBe(true);
      for (const [adapter, answer] of await answersTo(shape)) {
        expect(answer, adapter).toEqual({ status: 401, code: 'USER_REJECTED', challenge: CHALLENGE });
      }
    }
  });

  it("an error named VkAuthError with a code the library does not have is the framework's 500", async () => {
    const unknown = () => Object.assign(new Error('x'), { name: 'VkAuthError', code: 'NOT_A_CODE' });
    expect(VK_AUTH_ERROR_CODES).not.toContain(unknown().code);
    for (const [adapter, answer] of await answersTo(unknown)) {
      expect(answer.status, adapter).toBe(500);
      expect(answer.challenge, adapter).toBeNull();
      expect(VK_AUTH_ERROR_CODES, adapter).not.toContain(answer.code);
    }
  });

  it("any other error is the framework's 500, never a 401", async () => {
    for (const [adapter, answer] of await answersTo(() => new Error('the database is down'))) {
      expect(answer, adapter).toMatchObject({ status: 500, challenge: null });
      expect(VK_AUTH_ERROR_CODES, adapter).not.toContain(answer.code);
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
