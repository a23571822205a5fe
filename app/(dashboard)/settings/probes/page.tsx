import type { Metadata } from 'next';
import { ProbeTargetsPanel } from '@/components/settings/probe-targets-panel';

export const metadata: Metadata = { title: 'Probes' };

export default function Page() {
  return <ProbeTargetsPanel />;
}
