import type { Metadata } from 'next';
import { NotificationsPanel } from '@/components/settings/notifications-panel';

export const metadata: Metadata = { title: 'Notifications' };

export default function Page() {
  return <NotificationsPanel />;
}
