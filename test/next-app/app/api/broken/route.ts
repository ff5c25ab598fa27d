import { withVkDatabaseDown } from '@/lib/vk';

export const GET = withVkDatabaseDown(async () => Response.json({ unreachable: true }));
