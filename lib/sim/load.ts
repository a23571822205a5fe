// Steady user traffic against the fleet's frontend: a mix of browsing and checkouts at a set
// rate, open-loop (a slow fleet does not slow the users down, as in real life).

export interface LoadStats {
  sent: number;
  ok: number;
  failed: number;
}

export interface LoadGenerator {
  stats: LoadStats;
  setRps(rps: number): void;
  stop(): Promise<void>;
}

const CHECKOUT_SHARE = 0.4;
const REQUEST_TIMEOUT_MS = 10_000;

export function startLoad(options: { url: string; rps: number; onRps?: (rps: number) => void }): LoadGenerator {
  const stats: LoadStats = { sent: 0, ok: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();
  let rps = options.rps;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const fire = () => {
    const user = 1 + Math.floor(Math.random() * 50);
    const checkout = Math.random() < CHECKOUT_SHARE;
    stats.sent++;
    const request = fetch(checkout ? `${options.url}/checkout` : `${options.url}/`, {
      method: checkout ? 'POST' : 'GET',
      headers: checkout ? { 'content-type': 'application/json' } : undefined,
      body: checkout ? JSON.stringify({ user }) : undefined,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.ok) stats.ok++;
        else stats.failed++;
      })
      .catch(() => {
        stats.failed++;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  const schedule = () => {
    if (stopped || rps <= 0) return;
    // Poisson arrivals: exponential gaps around the mean rate.
    const gap = (-Math.log(1 - Math.random()) * 1000) / rps;
    timer = setTimeout(() => {
      fire();
      schedule();
    }, gap);
    timer.unref();
  };
  schedule();

  return {
    stats,
    setRps(next: number) {
      rps = next;
      options.onRps?.(next);
      if (timer) clearTimeout(timer);
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
