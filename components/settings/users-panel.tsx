'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { ErrorMessage, QueryFeedback, SuccessMessage } from '@/components/ui/feedback';
import { apiFetch } from '@/lib/http/api-client';
import { Role, UserDto } from '@/lib/schemas/auth';

const USERS_KEY = ['users'];

export function UsersPanel() {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: USERS_KEY, queryFn: ({ signal }) => apiFetch('/api/users', z.array(UserDto), { signal }) });
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: (input: unknown) => apiFetch('/api/users', UserDto, { method: 'POST', body: input }),
    onSuccess: (user) => {
      setNotice(`Created ${user.email} (${user.role})`);
      setFormError(null);
      void queryClient.invalidateQueries({ queryKey: USERS_KEY });
    },
    onError: (err) => setFormError(err.message),
  });
  const update = useMutation({
    mutationFn: ({ id, change }: { id: string; change: { role?: Role; disabled?: boolean } }) =>
      apiFetch(`/api/users/${id}`, UserDto, { method: 'PATCH', body: change }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: USERS_KEY }),
    onError: (err) => {
      setNotice(null);
      setFormError(err.message);
    },
  });

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setNotice(null);
    create.mutate(
      { email: form.get('email'), name: form.get('name') || undefined, role: form.get('role'), password: form.get('password') },
      { onSuccess: () => (event.target as HTMLFormElement).reset() },
    );
  }

  return (
    <>
      <section className="card" aria-labelledby="new-user">
        <h2 id="new-user">Add a user</h2>
        <form className="form-row" onSubmit={onCreate}>
          <label>
            E-mail
            <input name="email" type="email" required />
          </label>
          <label>
            Name (optional)
            <input name="name" />
          </label>
          <label>
            Role
            <select name="role" defaultValue="viewer" aria-label="Role">
              {Role.options.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <label>
            Initial password (12+ characters)
            <input name="password" type="password" minLength={12} required autoComplete="new-password" />
          </label>
          <button className="primary" type="submit" disabled={create.isPending}>
            {create.isPending ? 'Adding…' : 'Add user'}
          </button>
        </form>
        <ErrorMessage>{formError}</ErrorMessage>
        <SuccessMessage>{notice}</SuccessMessage>
      </section>

      <section className="card" aria-labelledby="user-list">
        <h2 id="user-list">Users</h2>
        <QueryFeedback isPending={users.isPending} error={users.error} what="users" />
        {users.data && (
          <table>
            <thead>
              <tr>
                <th>E-mail</th>
                <th>Name</th>
                <th>Role</th>
                <th>Status</th>
                <th>
                  <span className="muted">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <tr key={user.id}>
                  <td>{user.email}</td>
                  <td>{user.name ?? <span className="muted">—</span>}</td>
                  <td>
                    <select
                      aria-label={`Role of ${user.email}`}
                      value={user.role}
                      disabled={update.isPending}
                      onChange={(e) => update.mutate({ id: user.id, change: { role: Role.parse(e.target.value) } })}
                    >
                      {Role.options.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </td>
                  <td>{user.disabled ? <span className="badge">disabled</span> : <span className="badge">active</span>}</td>
                  <td>
                    <button type="button" disabled={update.isPending} onClick={() => update.mutate({ id: user.id, change: { disabled: !user.disabled } })}>
                      {user.disabled ? 'Enable' : 'Disable'}
                    </button>
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
