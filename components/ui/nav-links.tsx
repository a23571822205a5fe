'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

const LINKS = [
  { href: '/map', label: 'Map' },
  { href: '/services', label: 'Services' },
  { href: '/incidents', label: 'Incidents' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/runbooks', label: 'Runbooks' },
  { href: '/traces', label: 'Traces' },
  { href: '/settings', label: 'Settings' },
] as const;

export type NavHref = (typeof LINKS)[number]['href'];

/** `badges` puts a live count next to a link (the firing alerts next to Alerts); the layout supplies them, so this stays free of domain code. */
export function NavLinks({ badges = {} }: { badges?: Partial<Record<NavHref, ReactNode>> }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      <ul className="nav">
        {LINKS.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={pathname.startsWith(link.href) ? 'page' : undefined}>
              {link.label}
              {badges[link.href]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
