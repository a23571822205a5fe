'use client';

import Link from 'next/link';
import { useId, useSyncExternalStore } from 'react';
import { formatDateTime } from '@/components/alerts/alert-model';
import { Fact } from '@/components/alerts/facts';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorMessage, QueryFeedback } from '@/components/ui/feedback';
import { PageHeader } from '@/components/ui/page-header';
import { RULE_LABELS, type RuleKind } from '@/lib/schemas/alerts';
import type { Role } from '@/lib/schemas/auth';
import type { RunbookDto, RunbookSection } from '@/lib/schemas/runbooks';
import { MarkdownView } from './markdown-view';
import { useRunbookActivity } from './runbook-api';

/** One runbook as responders read it: what it covers, its contents, the body, and where it was shown lately. */
export function RunbookView({ runbook, canEdit }: { runbook: RunbookDto; canEdit: boolean }) {
  return (
    <>
      <PageHeader title={runbook.title} description={runbook.ownerTeam ? `Owned by ${runbook.ownerTeam}` : 'No owner team set'} />
      <RunbookFacts runbook={runbook} canEdit={canEdit} />
      <div className="runbook-layout">
        {runbook.sections.length > 0 && <TableOfContents sections={runbook.sections} />}
        <article className="card runbook-article" aria-label={runbook.title} data-testid="runbook-body">
          {runbook.body.trim() ? <MarkdownView html={runbook.html} followsHash /> : <p className="muted">This runbook has no body yet.</p>}
        </article>
      </div>
      <RunbookActivity runbook={runbook} canEdit={canEdit} />
    </>
  );
}

function RunbookFacts({ runbook, canEdit }: { runbook: RunbookDto; canEdit: boolean }) {
  return (
    <section className="card" aria-label="About this runbook">
      <nav className="runbook-actions" aria-label="Runbook actions">
        {canEdit && (
          <Link className="button primary" href={`/runbooks/${runbook.slug}/edit`}>
            Edit
          </Link>
        )}
        <Link className="button" href={`/runbooks/${runbook.slug}/history`}>
          History
        </Link>
      </nav>
      <dl className="alert-facts runbook-facts">
        <Fact term="Owner team">{runbook.ownerTeam || <span className="muted">none</span>}</Fact>
        <Fact term="Tags">
          <TagList tags={runbook.tags} />
        </Fact>
        <Fact term="Services">
          <ServiceList services={runbook.services} />
        </Fact>
        <Fact term="Alert kinds">
          <RuleKindList kinds={runbook.ruleKinds} />
        </Fact>
        <Fact term="Revision">
          <span data-testid="runbook-revision">
            Revision {runbook.revision} · updated by {runbook.updatedBy} <LocalTime iso={runbook.updatedAt} />
          </span>
        </Fact>
      </dl>
    </section>
  );
}

function TableOfContents({ sections }: { sections: RunbookSection[] }) {
  const titleId = useId();
  const top = Math.min(...sections.map((s) => s.depth));
  return (
    <nav className="card runbook-toc" aria-labelledby={titleId}>
      <h2 id={titleId}>Contents</h2>
      <ol>
        {sections.map((section) => (
          <li key={section.id} className={`runbook-toc-depth-${Math.min(section.depth - top, 3)}`}>
            {/* A plain anchor: the hash changes, and MarkdownView moves focus to the heading. */}
            <a href={`#${encodeURIComponent(section.id)}`}>{section.text || section.id}</a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function RunbookActivity({ runbook, canEdit }: { runbook: RunbookDto; canEdit: boolean }) {
  const titleId = useId();
  const activity = useRunbookActivity(runbook.id);
  const isLinked = runbook.services.length > 0 || runbook.ruleKinds.length > 0;
  const data = activity.data;

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>Recent alerts and incidents</h2>
      <QueryFeedback isPending={activity.isPending} error={data ? null : activity.error} what="recent alerts and incidents" />
      {data && activity.error && <ErrorMessage>{`Could not refresh recent alerts and incidents: ${activity.error.message}`}</ErrorMessage>}
      {data && data.alerts.length === 0 && data.incidents.length === 0 && (
        <p className="muted" data-testid="runbook-activity-empty">
          {isLinked ? (
            <>
              No recent alerts or incidents. Alerts {describeLinks(runbook.services, runbook.ruleKinds)} appear here, with the incidents that include them; responders see
              this runbook on those pages.
            </>
          ) : (
            <>
              This runbook is linked to no service and no alert kind, so no alert shows it. Alerts on linked services or of linked kinds appear here.{' '}
              {canEdit && <Link href={`/runbooks/${runbook.slug}/edit`}>Link some</Link>}
            </>
          )}
        </p>
      )}
      {data && data.alerts.length > 0 && (
        <>
          <h3 className="alert-subtitle">Alerts</h3>
          <ul className="runbook-activity" aria-label="Recent alerts">
            {data.alerts.map((alert) => (
              <li key={alert.id}>
                <Link href={`/alerts/${alert.id}`}>
                  {RULE_LABELS[alert.rule]} on {alert.service}
                  {alert.target ? ` → ${alert.target}` : ''}
                </Link>
                <span className={`badge severity-${alert.severity}`}>{alert.severity}</span>
                <span className={`badge alert-state-${alert.state}`}>{alert.state}</span>
                <span className="runbook-activity-summary">{alert.summary}</span>
                <time className="muted" dateTime={alert.startedAt}>
                  started {formatDateTime(alert.startedAt)}
                </time>
              </li>
            ))}
          </ul>
        </>
      )}
      {data && data.incidents.length > 0 && (
        <>
          <h3 className="alert-subtitle">Incidents</h3>
          <ul className="runbook-activity" aria-label="Recent incidents">
            {data.incidents.map((incident) => (
              <li key={incident.id}>
                <Link href={`/incidents/${incident.id}`}>{incident.title}</Link>
                <span className={`badge severity-${incident.severity}`}>{incident.severity}</span>
                <span className={`badge incident-status-${incident.status}`}>{incident.status}</span>
                <time className="muted" dateTime={incident.openedAt}>
                  opened {formatDateTime(incident.openedAt)}
                </time>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** "on checkout or payments, or of kind Error rate": the links in words. */
function describeLinks(services: readonly string[], kinds: readonly RuleKind[]): string {
  const parts: string[] = [];
  if (services.length > 0) parts.push(`on ${services.join(' or ')}`);
  if (kinds.length > 0) parts.push(`of kind ${kinds.map((k) => RULE_LABELS[k]).join(' or ')}`);
  return parts.join(', or ');
}

// ——— Pieces shared with the list, the history and the pages ———

/** A runbook address that names none (a mistyped slug, or one renamed since the link was made). */
export function RunbookNotFound({ slug }: { slug: string }) {
  return (
    <>
      <PageHeader title="Runbooks" />
      <EmptyState title="Runbook not found">
        <p>
          No runbook has the address <code>/runbooks/{slug}</code>; it may have been renamed. <Link href="/runbooks">Search the runbooks</Link>
        </p>
      </EmptyState>
    </>
  );
}

/** Shown instead of the editor to viewers and responders (the API refuses their saves as well). */
export function EditorRoleNeeded({ role, title }: { role: Role; title: string }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState title="Editing runbooks needs the editor or admin role">
        <p>
          You are signed in as a {role}, who can read runbooks and their history but not change them. Ask an admin for the editor role.{' '}
          <Link href="/runbooks">Back to runbooks</Link>
        </p>
      </EmptyState>
    </>
  );
}

/** Tags as links to the runbooks that share them. */
export function TagList({ tags }: { tags: readonly string[] }) {
  if (tags.length === 0) return <span className="muted">none</span>;
  return (
    <span className="runbook-chips">
      {tags.map((tag) => (
        <Link key={tag} className="badge runbook-tag" href={`/runbooks?${new URLSearchParams({ tag })}`} title={`Runbooks tagged ${tag}`}>
          {tag}
        </Link>
      ))}
    </span>
  );
}

export function ServiceList({ services }: { services: readonly string[] }) {
  if (services.length === 0) return <span className="muted">none</span>;
  return (
    <span className="runbook-chips">
      {services.map((service) => (
        <Link key={service} href={`/services/${encodeURIComponent(service)}`}>
          {service}
        </Link>
      ))}
    </span>
  );
}

export function RuleKindList({ kinds }: { kinds: readonly RuleKind[] }) {
  if (kinds.length === 0) return <span className="muted">none</span>;
  return <span>{kinds.map((k) => RULE_LABELS[k]).join(', ')}</span>;
}

const subscribeNever = () => () => {};

/**
 * A time in the reader's own zone. The server does not know that zone, so it renders UTC and the
 * browser swaps in local time after hydrating, without a mismatch.
 */
export function LocalTime({ iso }: { iso: string }) {
  const isBrowser = useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
  const utc = `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return (
    <time dateTime={iso} title={isBrowser ? utc : undefined}>
      {isBrowser ? formatDateTime(iso) : utc}
    </time>
  );
}
