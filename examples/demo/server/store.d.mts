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

/** An order of the demo's shop, as stored. */
export interface DemoOrder {
  /** The shop's order id: the `app_order_id` VK gets. */
  id: number;
  vkOrderId: number;
  test: boolean;
  vkUserId: number;
  item: string;
  price: number | null;
  status: string;
  createdAt: string;
  updatedAt: string;
}

/** One verified `order_status_change`, as the shop hands it to the store. */
export interface OrderEvent {
  vkOrderId: number;
  test: boolean;
  vkUserId: number;
  item: string;
  price: number | null;
  status: string;
  at: Date;
}

/** Where the demo keeps its users (and its shop's orders). */
export interface UserStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly description: string;
  upsertOnLaunch(visit: LaunchVisit): Promise<DemoUser>;
  findByVkUserId(vkUserId: number): Promise<DemoUser | null>;
  /** Creates the order once per VK `order_id` and `test`, or updates its status; the same `id` every time. */
  recordOrder(event: OrderEvent): Promise<DemoOrder>;
  close(): Promise<void>;
}

/** Opens the store the configuration names, creating its schema if missing. */
export declare function openStore(database: DatabaseConfig): Promise<UserStore>;
