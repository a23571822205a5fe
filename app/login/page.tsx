import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { currentPageUser } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await currentPageUser()) redirect('/map');
  const { next } = await searchParams;
  // Only same-site paths: an absolute URL here would make the login page an open redirect.
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : '/map';
  return (
    <main className="login-wrap">
      <LoginForm next={safeNext} />
    </main>
  );
}
