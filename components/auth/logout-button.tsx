'use client';

import { useState } from 'react';

export function LogoutButton() {
  const [isBusy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={isBusy}
      onClick={async () => {
        setBusy(true);
        await fetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
        window.location.assign('/login');
      }}
    >
      Sign out
    </button>
  );
}
