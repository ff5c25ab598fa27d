// Types of postgres-store.mjs, for TypeScript callers (the tests).
import type { UserStore } from './store.mjs';

/** Connects a pool to PostgreSQL and creates the table if missing. */
export declare function openPostgresStore(url: string, options?: { max?: number }): Promise<UserStore>;
