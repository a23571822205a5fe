'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { ErrorMessage, QueryFeedback } from '@/components/ui/feedback';
import { apiFetch } from '@/lib/http/api-client';
import { ApiKeyDto, ApiKeyScope, CreatedApiKey } from '@/lib/schemas/auth';

const KEYS_KEY = ['api-keys'];
const SCOPE_HELP: Record<ApiKeyScope, string> = {
  ingest: 'send traces, probe results and breaker events',
  read: 'read the JSON API',
  admin: 'read and administer through the JSON API',
};

function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : 'never';
}

export function ApiKeysPanel() {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: KEYS_KEY, queryFn: ({ signal }) => apiFetch('/api/api-keys', z.array(ApiKeyDto), { signal }) });
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: (input: unknown) => apiFetch('/api/api-keys', CreatedApiKey, { method: 'POST', body: input }),
    onSuccess: (result) => {
      setCreated(result);
      setError(null);
      void queryClient.invalidateQueries({ queryKey: KEYS_KEY });
    },
    onError: (err) => setError(err.message),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/api-keys/${id}`, ApiKeyDto, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: KEYS_KEY }),
    onError: (err) => setError(err.message),
  });

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setCreated(null);
    create.mutate({ name: form.get('name'), scopes: form.getAll('scope') });
  }

  return (
    <>
      <section className="card" aria-labelledby="new-key">
        <h2 id="new-key">Create an API key</h2>
        <form className="form-row" onSubmit={onCreate}>
          <label>
            Name
            <input name="name" required maxLength={100} placeholder="e.g. otel-collector" />
          </label>
          <fieldset>
            <legend className="muted">Scopes</legend>
            {ApiKeyScope.options.map((scope) => (
              <label key={scope} title={SCOPE_HELP[scope]}>
                <input type="checkbox" name="scope" value={scope} defaultChecked={scope === 'ingest'} /> {scope}
              </label>
            ))}
          </fieldset>
          <button className="primary" type="submit" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </button>
        </form>
        <ErrorMessage>{error}</ErrorMessage>
        {created && (
          <div className="alert success" role="status">
            <strong>Key “{created.apiKey.name}” created.</strong> Copy it now: it is shown only once.
            <code className="secret" data-testid="new-api-key">
              {created.key}
            </code>
            <button type="button" onClick={() => void navigator.clipboard?.writeText(created.key)}>
              Copy
            </button>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="key-list">
        <h2 id="key-list">Keys</h2>
        <QueryFeedback isPending={keys.isPending} error={keys.error} what="keys" />
        {keys.data && keys.data.length === 0 && <p className="muted">No keys yet. Exporters and scripts need one to talk to Faultline.</p>}
        {keys.data && keys.data.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Scopes</th>
                <th>Created</th>
                <th>Last used</th>
                <th>
                  <span className="muted">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>
                    {key.scopes.map((s) => (
                      <span key={s} className="badge">
                        {s}
                      </span>
                    ))}
                  </td>
                  <td>
                    {formatTime(key.createdAt)}
                    {key.createdBy && <div className="muted">by {key.createdBy}</div>}
                  </td>
                  <td>{formatTime(key.lastUsedAt)}</td>
                  <td>
                    {key.revokedAt ? (
                      <span className="badge">revoked {formatTime(key.revokedAt)}</span>
                    ) : (
                      <button
                        type="button"
                        className="danger"
                        disabled={revoke.isPending}
                        onClick={() => {
                          if (window.confirm(`Revoke “${key.name}”? Anything using it stops working at once.`)) revoke.mutate(key.id);
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
