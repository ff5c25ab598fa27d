// Types of fake-users.mjs, for TypeScript callers (the tests).

/** A user of the dev launcher. */
export interface FakeUser {
  readonly vkUserId: number;
  readonly name: string;
  readonly platform: string;
  readonly language: string;
}

/** A fake user with three links to the mini-app page. */
export interface DevLaunch extends FakeUser {
  url: string;
  tamperedUrl: string;
  expiredUrl: string;
}

/** The dev launcher's users. */
export declare const FAKE_USERS: readonly FakeUser[];
/** The name of a fake user, or `null` for any other id. */
export declare function fakeUserName(vkUserId: number): string | null;
/** The body of `GET /dev/launches`, signed at `nowMs`. */
export declare function devLaunches(options: {
  appId: number;
  secret: string;
  nowMs: number;
}): Promise<{ appId: number; users: DevLaunch[] }>;
