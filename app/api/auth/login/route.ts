// POST /api/auth/login — e-mail and password in, session cookie out
import { login } from '@/lib/auth/login';
import { sessionCookie } from '@/lib/auth/session-cookie';
import { isHttps } from '@/lib/http/client-ip';
import { assertSameOrigin, defineRoute } from '@/lib/http/define-route';
import { LoginInput } from '@/lib/schemas/auth';

export const POST = defineRoute({
  access: { public: true },
  body: LoginInput,
  maxBodyBytes: 10_000,
  handler: async ({ req, body, ip }) => {
    assertSameOrigin(req);
    const session = await login({ input: body, ip, userAgent: req.headers.get('user-agent') ?? undefined });
    return Response.json(
      { user: { id: session.user.id, email: session.user.email, role: session.user.role } },
      { headers: { 'Set-Cookie': sessionCookie(session.token, session.expiresAt, isHttps(req.url, req.headers)) } },
    );
  },
});
