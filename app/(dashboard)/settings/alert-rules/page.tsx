import type { Metadata } from 'next';
import { AlertRulesPanel } from '@/components/settings/alert-rules-panel';

export const metadata: Metadata = { title: 'Alert rules' };

export default function Page() {
  return <AlertRulesPanel />;
}
