// The types of the adapters with route guards (every HTTP framework's entry), listed once: the
// shared adapter types, and those of `requireCreateHash` and `requireGroupRole`.
export type { VkViewerGroupRole } from '../../launch-params/types.js';
export type { CreateHashSource, RawBody, RequireCreateHashOptions } from './create-hash.js';
export type {
  GroupIdSource,
  GroupIdValue,
  RequireGroupRoleArguments,
  RequireGroupRoleOptions,
} from './group-role.js';
export type * from './types.js';
