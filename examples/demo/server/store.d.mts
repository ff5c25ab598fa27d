// Types of store.mjs, for TypeScript callers (the tests); the JSDoc there is the documentation.
import type { DatabaseConfig } from './config.mjs';

/** A user as stored and as `GET /api/me` returns it. */
export interface DemoUser {
  id: number;
  vkUserId: number;
  name: string | null;
  language: string | null;
  platform: string | null;
  launchCount: number;
  createdAt: string;
  lastSeenAt: string;
}

/** One verified request, as `resolveUser` hands it to the store. */
export interface LaunchVisit {
  vkUserId: number;
  name: string | null;
  language: string | null;
  platform: string | null;
  /** `vk_ts` of the launch: a later one than stored counts as a new launch. */
  launchTs: number;
  seenAt: Date;
}

/** Where the demo keeps its users. */
export interface UserStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly description: string;
  upsertOnLaunch(visit: LaunchVisit): Promise<DemoUser>;
  findByVkUserId(vkUserId: number): Promise<DemoUser | null>;
  close(): Promise<void>;
}

/** Opens the store the configuration names, creating its schema if missing. */
export declare function openStore(database: DatabaseConfig): Promise<UserStore>;
