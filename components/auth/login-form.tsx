'use client';

import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/ui/feedback';

export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  // Until React has attached onSubmit, a submit would be the browser's own: keep the button off.
  // (false in the server's HTML, true once hydrated.)
  const isHydrated = useSyncExternalStore(noSubscription, () => true, () => false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSubmitting(true);
    setError(null);
    try {
      const response = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
      });
      if (response.ok) {
        window.location.assign(next);
        return;
      }
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? `Sign-in failed (${response.status})`);
    } catch {
      setError('Faultline did not answer: check that the server is running');
    } finally {
      setSubmitting(false);
    }
  }

  return (
    // method="post": should the browser ever submit the form itself, the password goes in a body, never in a URL.
    <form className="login" method="post" onSubmit={onSubmit} aria-labelledby="login-title">
      <div className="brand">
        Fault<span>line</span>
      </div>
      <h1 id="login-title">Sign in</h1>
      <label>
        E-mail
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <ErrorMessage>{error}</ErrorMessage>
      <button className="primary" type="submit" disabled={isSubmitting || !isHydrated}>
        {isSubmitting ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="muted">
        First start? The admin&apos;s e-mail and password were printed once in the terminal running <code>npm start</code>.
      </p>
    </form>
  );
}

const noSubscription = () => () => {};
