import { withVkDatabaseDown } from '../../../lib/vk.js';

export const GET = withVkDatabaseDown(async () => Response.json({ unreachable: true }));
