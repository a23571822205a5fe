export function AdminOnly({ email, role }: { email: string; role: string }) {
  return (
    <section className="card" aria-label="Your account">
      <h2>Your account</h2>
      <p>
        Signed in as <strong>{email}</strong> with the <span className="badge">{role}</span> role.
      </p>
      <p className="muted">Managing users, API keys, probe targets, alert rules, notifications and the audit log needs the admin role: ask an admin of this Faultline. Probe results are on the Services pages.</p>
    </section>
  );
}
