// The types every adapter's entry exports, listed once: each entry re-exports them with
// `export type * from '../common/types.js'`.
export type * from './context.js';
export type { MaxAdapterOptions, ResolveUser, VkMiniAppAuthOptions } from './options.js';
