import Link from 'next/link';
import { ExporterSnippet } from './exporter-snippet';

/** The next step while no telemetry has arrived: create an ingest key and point exporters here. */
export function GetStarted({ isAdmin }: { isAdmin: boolean }) {
  return (
    <ol>
      <li>
        {isAdmin ? (
          <>
            Create an API key with the <code>ingest</code> scope in <Link href="/settings/api-keys">Settings → API keys</Link>
          </>
        ) : (
          <>
            Ask an admin for an API key with the <code>ingest</code> scope
          </>
        )}{' '}
        (or run <code>npm run apikey:create -- --name fleet --scope ingest</code>).
      </li>
      <li>
        Point your services&apos; OpenTelemetry exporters at Faultline:
        <ExporterSnippet />
      </li>
    </ol>
  );
}
