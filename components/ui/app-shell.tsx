import type { ReactNode } from 'react';
import { LogoutButton } from '@/components/auth/logout-button';
import { NavLinks, type NavHref } from './nav-links';
import { QueryProvider } from './query-provider';

export function AppShell({ user, navBadges, children }: { user: { email: string; role: string }; navBadges?: Partial<Record<NavHref, ReactNode>>; children: ReactNode }) {
  // The provider wraps the sidebar too: navigation badges poll the API.
  return (
    <QueryProvider>
      <div className="shell">
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <aside className="sidebar">
          <div className="brand">
            Fault<span>line</span>
          </div>
          <NavLinks badges={navBadges} />
          <div className="who">
            <span>
              Signed in as <strong data-testid="current-user">{user.email}</strong>
            </span>
            <span>
              Role <span className={`badge ${user.role === 'admin' ? 'admin' : ''}`}>{user.role}</span>
            </span>
            <LogoutButton />
          </div>
        </aside>
        <main className="main" id="content">
          {children}
        </main>
      </div>
    </QueryProvider>
  );
}
