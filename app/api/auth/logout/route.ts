// POST /api/auth/logout — ends the session and clears its cookie
import { logout } from '@/lib/auth/login';
import { clearedSessionCookie } from '@/lib/auth/session-cookie';
import { SESSION_COOKIE } from '@/lib/auth/sessions';
import { assertSameOrigin, defineRoute } from '@/lib/http/define-route';

export const POST = defineRoute({
  access: { public: true },
  handler: async ({ req }) => {
    assertSameOrigin(req);
    await logout({ token: req.cookies.get(SESSION_COOKIE)?.value });
    return Response.json({ ok: true }, { headers: { 'Set-Cookie': clearedSessionCookie() } });
  },
});
