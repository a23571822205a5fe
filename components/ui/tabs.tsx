'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export function Tabs({ label, links }: { label: string; links: readonly { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav className="tabs" aria-label={label}>
      {links.map((link) => (
        <Link key={link.href} href={link.href} aria-current={pathname === link.href ? 'page' : undefined}>
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
