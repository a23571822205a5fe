import type { ReactNode } from 'react';

/** An error the user should read now (announced by screen readers). Renders nothing without a message. */
export function ErrorMessage({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="alert error" role="alert">
      {children}
    </p>
  );
}

/** A confirmation of what just happened (announced politely). Renders nothing without a message. */
export function SuccessMessage({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="alert success" role="status">
      {children}
    </p>
  );
}

/** Loading and failure states of a list query, so every list says what is going on. */
export function QueryFeedback({ isPending, error, what }: { isPending: boolean; error: Error | null; what: string }) {
  if (isPending) return <p className="loading">Loading {what}…</p>;
  if (error) return <ErrorMessage>{`Could not load ${what}: ${error.message}`}</ErrorMessage>;
  return null;
}
