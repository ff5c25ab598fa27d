// Types of sqlite-store.mjs, for TypeScript callers (the tests).
import type { UserStore } from './store.mjs';

/** Opens (creating if missing) the SQLite file at `path`, in WAL mode. */
export declare function openSqliteStore(path: string): UserStore;
