import type { Metadata } from 'next';
import Link from 'next/link';
import { BackToSearchLink } from '@/components/traces/trace-parts';
import { TraceWaterfall } from '@/components/traces/trace-waterfall';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';
import { TraceId } from '@/lib/schemas/traces';

interface Props {
  params: Promise<{ traceId: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const parsed = TraceId.safeParse((await params).traceId);
  return { title: parsed.success ? `Trace ${parsed.data.slice(0, 8)}` : 'Not a trace id' };
}

export default async function TracePage({ params }: Props) {
  await requirePageUser();
  const { traceId } = await params;
  const parsed = TraceId.safeParse(traceId);
  if (!parsed.success) {
    return (
      <>
        <PageHeader title="Traces" />
        <EmptyState title="Not a trace id">
          <p>
            <code>{traceId}</code> is not a trace id: trace ids are 32 hexadecimal characters, such as <code>4bf92f3577b34da6a3ce929d0e0e4736</code>.
          </p>
          <p>
            <Link href="/traces">Back to search</Link>
          </p>
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <BackToSearchLink />
      <PageHeader title={`Trace ${parsed.data.slice(0, 8)}`} description="Spans in start order, nested under their parents." />
      <TraceWaterfall traceId={parsed.data} />
    </>
  );
}
