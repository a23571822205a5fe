import type { Metadata } from 'next';
import { ChaosPanel } from '@/components/chaos/chaos-panel';

export const metadata: Metadata = { title: 'Chaos' };

export default function Page() {
  return <ChaosPanel />;
}
