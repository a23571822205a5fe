// GET /api/notifications?status=&destinationId=&limit= — the notification outbox, newest first (admin)
import { listNotifications } from '@/lib/notify/destinations';
import { defineRoute } from '@/lib/http/define-route';
import { NotificationListQuery } from '@/lib/schemas/notify';

export const GET = defineRoute({ access: { permission: 'admin' }, query: NotificationListQuery, handler: ({ actor, query }) => listNotifications({ actor, query }) });
