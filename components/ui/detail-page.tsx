import Link from 'next/link';
import type { ReactNode } from 'react';
import { Uuid } from '@/lib/schemas/common';
import { EmptyState } from './empty-state';
import { PageHeader } from './page-header';

/**
 * The frame of a page for one alert or incident addressed by id: a link back to the list, and a
 * clear answer instead of a failed fetch when the id in the address is not a UUID.
 */
export function DetailPage({ id, list, noun, children }: { id: string; list: { href: string; title: string }; noun: string; children: (id: string) => ReactNode }) {
  const parsed = Uuid.safeParse(id);
  return (
    <>
      <p className="trace-back">
        <Link href={list.href}>← All {list.title.toLowerCase()}</Link>
      </p>
      {parsed.success ? (
        children(parsed.data)
      ) : (
        <>
          <PageHeader title={list.title} />
          <EmptyState title={`Not an ${noun} id`}>
            <p>
              <code>{id}</code> is not an {noun} id: {noun} ids are UUIDs, as in the links on the {list.title} page.
            </p>
          </EmptyState>
        </>
      )}
    </>
  );
}
